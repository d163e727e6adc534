import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * An archive officer creates a dossier (cadre_archive_dossier_cadre):
 *
 * - typing "Picker" offers the cadres of the officer's unit without a dossier
 *   ("Picker Newcomer", in a sub-unit too), never the one who already has a
 *   dossier ("Picker Filed") nor one of another unit ("Picker Elsewhere");
 * - the cadre with a dossier is offered to open it instead: the officer opens
 *   it, and no second dossier is created;
 * - back on a new dossier, the officer picks "Picker Newcomer" and saves.
 *
 * Data come from cadre_archive/tests/test_dossier_cadre_tour.py, which checks
 * the database afterwards.
 */

const MENU_ROOT = "cadre_archive.menu_cadre_archive_root";
const MENU_ARCHIVE = "cadre_archive.menu_cadre_archive_dossiers";
const MENU_DOSSIERS = "cadre_archive.menu_cadre_archive_dossier";
const PICKER = ".o_form_view .o_field_widget[name='employee_id']";
const DROPDOWN = ".o-autocomplete--dropdown-menu";

function openDossiers() {
    return [
        ...stepUtils.goToAppSteps(MENU_ROOT, "Open the Personnel Archive app"),
        {
            content: "Open the Archive menu",
            trigger: `.o_menu_sections button[data-menu-xmlid='${MENU_ARCHIVE}']`,
            run: "click",
        },
        {
            content: "Open Dossiers",
            trigger: `.o-dropdown--menu .dropdown-item[data-menu-xmlid='${MENU_DOSSIERS}']`,
            run: "click",
        },
        {
            content: "Wait for the list of dossiers",
            trigger: ".o_list_view .o_last_breadcrumb_item:contains('Dossiers')",
        },
    ];
}

function newDossier(search = "Picker") {
    return [
        {
            content: "Create a dossier",
            trigger: ".o_list_button_add, .o-kanban-button-new",
            run: "click",
        },
        {
            content: `Search the cadre '${search}'`,
            trigger: `${PICKER} input`,
            run: `edit ${search}`,
        },
    ];
}

registry.category("web_tour.tours").add("cadre_archive_dossier_cadre", {
    url: "/odoo",
    steps: () => [
        ...openDossiers(),
        ...newDossier(),
        {
            content:
                "Only the cadres of my units without a dossier are offered, and " +
                "the one with a dossier is offered to open it",
            trigger:
                `${DROPDOWN}:has(.o_cadre_archive_existing_dossier:contains('Picker Filed'))` +
                ":has(.dropdown-item:contains('Picker Newcomer'))" +
                ":has(.dropdown-item:contains('Picker Sub-Unit'))" +
                ":not(:has(.dropdown-item:contains('Picker Elsewhere')))",
            run() {
                const items = [...this.anchor.querySelectorAll(".dropdown-item")];
                const filed = items.filter(
                    (item) =>
                        item.textContent.includes("Picker Filed") &&
                        !item.closest(".o_cadre_archive_existing_dossier")
                );
                if (filed.length) {
                    throw new Error("Picker Filed is offered for a second dossier.");
                }
            },
        },
        {
            content: "Open the existing dossier of Picker Filed",
            trigger: `${DROPDOWN} .o_cadre_archive_existing_dossier:contains('Picker Filed')`,
            run: "click",
        },
        {
            content: "The dossier of Picker Filed is open, saved, with no error",
            trigger:
                "body:not(:has(.o_error_dialog)):not(:has(.o_notification_bar.bg-danger)) " +
                ".o_form_view .o_form_saved " +
                ".o_field_widget[name='employee_id']:contains('Picker Filed')",
        },
        ...openDossiers(),
        ...newDossier("Picker Newcomer"),
        {
            // pick from the list searched for the whole name only, so that no
            // pending search reopens the list after the pick
            content: "Pick Picker Newcomer",
            trigger:
                `${DROPDOWN}:not(:has(.dropdown-item:contains('Picker Sub-Unit'))) ` +
                ".dropdown-item:not(.o_cadre_archive_existing_dossier):contains('Picker Newcomer')",
            run: "click",
        },
        {
            content: "Picker Newcomer is the cadre",
            trigger: `body:not(:has(${DROPDOWN})) ${PICKER} input:value('Picker Newcomer')`,
        },
        ...stepUtils.saveForm(),
        {
            content: "The new dossier has its archive number",
            trigger: ".o_form_view .o_field_widget[name='name']:not(:contains('New'))",
        },
    ],
});
