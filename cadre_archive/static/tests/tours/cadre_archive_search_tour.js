import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * An archive officer searches the archive with Odoo's search bar: the words
 * are found in a material's recognised text and marked in the Found In
 * column; unit and category facets narrow the list down.
 *
 * Data come from cadre_archive/tests/test_search_tour.py: in the officer's
 * units, an appointment (任免, unit 财政局) and a CV (category 1, unit 教育局,
 * markup in its text) both say "同志为县" in their recognised text; a third
 * material saying it lies in a unit the officer does not keep and is never
 * listed.
 */

const MENU_ROOT = "cadre_archive.menu_cadre_archive_root";
const MENU_ARCHIVE = "cadre_archive.menu_cadre_archive_dossiers";
const MENU_SEARCH = "cadre_archive.menu_cadre_archive_search";
const ROW = ".o_data_row";
const SNIPPET = "td[name='search_snippet']";

/** Type ``text`` in the search bar and pick the field ``label`` to search. */
function searchFor(label, text) {
    return [
        {
            content: `Type ${text} in the search bar`,
            trigger: ".o_searchview_input",
            run: `edit ${text}`,
        },
        {
            content: `Search ${label} for ${text}`,
            trigger: `.o_searchview_autocomplete .o-dropdown-item:contains('${label}')`,
            run: "click",
        },
        {
            content: `The facet ${label} is in the search bar`,
            trigger: `.o_searchview_facet:contains('${label}'):contains('${text}')`,
        },
    ];
}

/** The list shows exactly the rows ``titles``. */
function listShows(content, titles) {
    const rows = titles.map((title) => `:has(${ROW}:contains('${title}'))`).join("");
    return {
        content,
        trigger: `.o_list_view${rows}:not(:has(tbody ${ROW}:nth-child(${titles.length + 1})))`,
    };
}

registry.category("web_tour.tours").add("cadre_archive_search", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(MENU_ROOT, "Open the Personnel Archive app"),
        {
            content: "Open the Archive menu",
            trigger: `.o_menu_sections button[data-menu-xmlid='${MENU_ARCHIVE}']`,
            run: "click",
        },
        {
            content: "Open Search the Archive",
            trigger: `.o-dropdown--menu .dropdown-item[data-menu-xmlid='${MENU_SEARCH}']`,
            run: "click",
        },
        {
            content: "The search lands in a list of materials, with one breadcrumb",
            trigger:
                ".o_list_view .o_control_panel .o_breadcrumb:not(:has(.o_back_button))" +
                " .o_last_breadcrumb_item:contains('Search the Archive')",
        },
        ...searchFor("Words", "同志为县"),
        listShows("Both materials of the officer's units are found, not the third", [
            "任免审批表",
            "干部履历表",
        ]),
        {
            content: "The archive number is shown whole, not cut by an ellipsis",
            trigger: `${ROW}:contains('任免审批表') td[name='archive_number']:contains('TOUR-000001')`,
            run({ anchor }) {
                if (anchor.scrollWidth > anchor.clientWidth) {
                    throw new Error(`The archive number is truncated: ${anchor.outerHTML}`);
                }
            },
        },
        {
            content: "The words are marked in the Found In column of the appointment",
            trigger: `${ROW}:contains('任免审批表') ${SNIPPET} mark:contains('同志为县')`,
        },
        {
            content: "The Found In column shows the recognised text around them",
            trigger: `${ROW}:contains('任免审批表') ${SNIPPET}:contains('任命张三同志为县财政局副局长')`,
        },
        {
            content: "Markup in the recognised text is shown as text, never run",
            trigger:
                `${ROW}:contains('干部履历表') ${SNIPPET}:contains('<b>'):not(:has(b))` +
                ":has(mark:contains('同志为县'))",
        },
        ...searchFor("Unit", "财政局"),
        listShows("The unit facet keeps the appointment only", ["任免审批表"]),
        {
            content: "Remove the unit facet",
            trigger: ".o_searchview_facet:contains('Unit') .o_facet_remove",
            run: "click",
        },
        listShows("Without the unit facet, both are found again", ["任免审批表", "干部履历表"]),
        ...searchFor("Category", "Curriculum"),
        listShows("The category facet keeps the CV only", ["干部履历表"]),
        {
            content: "The words are still marked with the category facet",
            trigger: `${ROW}:contains('干部履历表') ${SNIPPET} mark:contains('同志为县')`,
        },
        {
            content: "Still one breadcrumb after searching again",
            trigger:
                ".o_control_panel .o_breadcrumb:not(:has(.o_back_button))" +
                " .o_last_breadcrumb_item:contains('Search the Archive')",
        },
    ],
});
