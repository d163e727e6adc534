import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * An archive officer files a new material in a cadre's dossier, starting from
 * the Employees app, then opens the dossier catalog in the browser's PDF
 * viewer.
 *
 * Data come from cadre_archive/tests/test_tour.py (employee "Tour Cadre" with
 * a dossier in the officer's unit); the Python test checks the database and
 * the rendered report afterwards.
 */

const CATALOG_MARKER = "data-cadre-archive-catalog";

/**
 * Catch the next new tab the web client opens: instead of opening it, fetch
 * its URL as the browser's PDF viewer would and mark the body with what the
 * server answered (its content type and disposition), so that a later step
 * can check that the PDF is shown inline, not downloaded.
 */
function spyNextTab() {
    document.body.removeAttribute(CATALOG_MARKER);
    const originalOpen = browser.open;
    browser.open = (url) => {
        browser.open = originalOpen;
        fetch(url).then(
            (response) => {
                const type = response.headers.get("Content-Type");
                const disposition = response.headers.get("Content-Disposition") || "inline";
                document.body.setAttribute(
                    CATALOG_MARKER,
                    `${response.status} ${type} ${disposition} ${new URL(url, location.href).pathname}`
                );
            },
            () => document.body.setAttribute(CATALOG_MARKER, "failed")
        );
        return { closed: false };
    };
}

registry.category("web_tour.tours").add("cadre_archive_file_material", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("hr.menu_hr_root", "Open the Employees app"),
        {
            content: "Open the employee Tour Cadre",
            trigger: ".o_kanban_view .o_kanban_record:contains('Tour Cadre')",
            run: "click",
        },
        {
            content: "Wait for the employee form of Tour Cadre",
            trigger: ".o_form_view .o_last_breadcrumb_item:contains('Tour Cadre')",
        },
        stepUtils.autoExpandMoreButtons(),
        {
            content: "Open the dossier from the Dossier smart button",
            trigger: "button.oe_stat_button[name='action_open_cadre_dossier']:contains('Dossier')",
            run: "click",
        },
        {
            content: "Wait for the dossier form of Tour Cadre",
            trigger:
                ".o_form_view .o_field_widget[name='employee_id']:contains('Tour Cadre'), " +
                ".o_form_view .o_field_widget[name='employee_id'] input:value('Tour Cadre')",
        },
        {
            content: "Open the materials of the dossier",
            trigger: "button.oe_stat_button[name='action_open_materials']:contains('Materials')",
            run: "click",
        },
        {
            content: "Wait for the materials list",
            trigger: ".o_list_view .o_last_breadcrumb_item:contains('Materials')",
        },
        {
            content: "Create a material",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "The new material is in the dossier of Tour Cadre",
            trigger: ".o_form_view .o_field_widget[name='dossier_id'] input:value('Tour Cadre')",
        },
        {
            content: "Enter the title",
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit 学位证书",
        },
        {
            content: "Search the category 4-1",
            trigger: ".o_form_view .o_field_widget[name='category_id'] input",
            run: "edit 4-1",
        },
        {
            content: "Pick 4-1 Education and Degrees in the autocomplete",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('4-1 Education and Degrees')",
            run: "click",
        },
        {
            content: "The category is set",
            trigger: ".o_form_view .o_field_widget[name='category_id'] input:value('4-1 Education and Degrees')",
        },
        {
            content: "Enter the formation date to the month",
            trigger: ".o_form_view .o_field_widget[name='date_input'] input",
            run: "edit 2001.07",
        },
        {
            content: "Enter the page count",
            trigger: ".o_form_view .o_field_widget[name='page_count'] input",
            run: "edit 2",
        },
        ...stepUtils.saveForm(),
        {
            content: "The saved draft has no number yet: numbers are given at filing",
            trigger: ".o_form_view .o_form_saved:not(:has(.o_field_widget[name='code'])) .o_field_widget[name='name'] input:value('学位证书')",
        },
        {
            content: "The formation date is kept to the month",
            trigger: ".o_form_view .o_field_widget[name='date_input'] input:value('2001.07')",
        },
        {
            content: "File the material",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_open_filing_check']:enabled",
            run: "click",
        },
        {
            content: "Confirm the filing",
            trigger: ".modal:contains('Once filed') .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The status is Filed",
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Filed')",
        },
        {
            content: "The filed banner is shown and the File button is gone",
            trigger:
                ".o_form_view:not(:has(button[name='action_open_filing_check'])) .alert-info:contains('This material is filed')",
        },
        {
            content: "The filed material is numbered 4-1-1",
            trigger: ".o_form_view .o_field_widget[name='code']:contains('4-1-1')",
        },
        {
            content: "Go back to the dossier through the breadcrumb",
            trigger: ".o_breadcrumb .breadcrumb-item:not(.o_back_button) a:contains('Tour Cadre')",
            run: "click",
        },
        {
            content: "The dossier lists the filed material",
            trigger:
                ".o_form_view .o_field_widget[name='catalog_material_ids'] .o_data_row:contains('学位证书'):contains('4-1-1')",
        },
        {
            content: "Open the actions (cog) menu of the dossier",
            trigger: ".o_control_panel .o_cp_action_menus button:has(i.fa-cog)",
            run: "click",
        },
        {
            content: "Open the Print sub-menu when the dossier has several reports",
            trigger: ".o-dropdown--menu:has(.fa-print)",
            async run({ queryFirst, click }) {
                if (!queryFirst(".o-dropdown--menu .o_menu_item:contains('Dossier Catalog')")) {
                    await click(queryFirst(".o-dropdown--menu .o-dropdown:has(.fa-print)"));
                }
            },
        },
        {
            content: "Print the Dossier Catalog",
            trigger: ".o-dropdown--menu .o_menu_item:contains('Dossier Catalog')",
            async run({ click }) {
                spyNextTab();
                await click();
            },
        },
        {
            content: "The catalog of the dossier opens in a new tab, as a PDF shown inline",
            trigger: `body[${CATALOG_MARKER}^='200 application/pdf inline /report/pdf/cadre_archive.report_dossier_catalog/']`,
        },
        {
            content: "No error dialog nor danger notification, and the dossier is still shown",
            trigger:
                "body:not(:has(.o_error_dialog)):not(:has(.o_notification_bar.bg-danger)) " +
                ".o_form_view .o_field_widget[name='employee_id']",
        },
    ],
});
