import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * The archive manager opens the app on its dashboard, reads the figure of the
 * materials past their deadline and clicks it: the list it opens shows as many
 * records as the figure said.
 *
 * Data come from cadre_archive/tests/test_dashboard.py (at least two dues past
 * their deadline, in units A and B).
 */

const MENU_ROOT = "cadre_archive.menu_cadre_archive_root";
const TILE = ".o_cadre_archive_dashboard .o_cadre_archive_tile[data-tile='dues_overdue']";

let figure = null;

registry.category("web_tour.tours").add("cadre_archive_dashboard", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(MENU_ROOT, "Open the Personnel Archive app"),
        {
            content: "Read the figure of the materials past their deadline",
            trigger: `${TILE} .o_cadre_archive_tile_count`,
            run() {
                figure = parseInt(this.anchor.textContent.trim(), 10);
                if (!(figure >= 2)) {
                    throw new Error(`Expected at least 2 overdue dues, the figure says ${figure}`);
                }
            },
        },
        {
            content: "Open the list behind the figure",
            trigger: TILE,
            run: "click",
        },
        {
            content: "The list of the materials past their deadline is shown",
            trigger: ".o_breadcrumb .active:contains('Materials past their deadline')",
        },
        {
            content: "The list shows as many records as the figure",
            trigger: ".o_list_view .o_data_row",
            run() {
                const rows = document.querySelectorAll(".o_list_view .o_data_row").length;
                const limit = document.querySelector(".o_pager_limit");
                const total = limit ? parseInt(limit.textContent.trim(), 10) : rows;
                if (rows !== figure || total !== figure) {
                    throw new Error(
                        `The figure says ${figure}, the list shows ${rows} rows of ${total}`
                    );
                }
            },
        },
    ],
});
