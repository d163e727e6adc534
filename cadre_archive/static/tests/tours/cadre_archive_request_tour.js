import { browser } from "@web/core/browser/browser";
import { formatDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { stepUtils } from "@web_tour/tour_utils";

const { DateTime } = luxon;

/**
 * A consultation request from its filing to the reading of a page:
 *
 * - cadre_archive_request_submit (requester): files a request for the dossier
 *   of "Tour Cadre" and submits it;
 * - cadre_archive_request_approve (manager): approves it from "Requests to
 *   Approve", giving the approval opinion (审批意见) in the dialog, and finds
 *   it in the chatter;
 * - cadre_archive_request_view (requester): opens the material from
 *   "Materials Open to Me" in the viewer and waits for its watermarked page.
 *
 * Data come from cadre_archive/tests/test_request_tour.py, which checks the
 * database between and after the tours.
 */

const MENU_ROOT = "cadre_archive.menu_cadre_archive_root";
const MENU_CONSULTATION = "cadre_archive.menu_cadre_archive_consultation";
const PAGE_MARKER = "data-cadre-archive-page";
const VIEWER_PATH = /^\/cadre_archive\/material\/\d+\/view$/;
// the period: a daterange widget on date_start, with date_end as its end
const PERIOD = ".o_form_view .o_field_widget[name='date_start']";

/**
 * The period typed in the request: today and tomorrow in the user's timezone
 * (the server checks the period against the requester's today), in the date
 * format of the user's language.
 */
function requestPeriod() {
    const today = DateTime.now().setZone(user.tz || "default").startOf("day");
    return [formatDate(today), formatDate(today.plus({ days: 1 }))];
}

/**
 * Selector of one end of the period widget showing ``date``: once applied, a
 * button whose tooltip is the date in the numeric format; while edited, an
 * input.
 */
function dateIs(fieldName, date) {
    return (
        `button[data-field='${fieldName}'][data-tooltip='${date}'], ` +
        `input[data-field='${fieldName}']:value('${date}')`
    );
}

/**
 * Open a sub-menu of the Consultation menu of the Personnel Archive app.
 */
function openConsultationMenu(menuXmlid, description) {
    return [
        ...stepUtils.goToAppSteps(MENU_ROOT, "Open the Personnel Archive app"),
        {
            content: "Open the Consultation menu",
            trigger: `.o_menu_sections button[data-menu-xmlid='${MENU_CONSULTATION}']`,
            run: "click",
        },
        {
            content: description,
            trigger: `.o-dropdown--menu .dropdown-item[data-menu-xmlid='${menuXmlid}']`,
            run: "click",
        },
    ];
}

/**
 * The viewer of a material opens in a new tab (an act_url with target "new"),
 * which a tour cannot follow: open the next viewer URL in this tab instead.
 * Any other URL opens as usual.
 */
function openNextViewerInThisTab() {
    const originalOpen = browser.open;
    browser.open = (url, ...args) => {
        const path = new URL(url, browser.location.origin).pathname;
        if (!VIEWER_PATH.test(path)) {
            return originalOpen(url, ...args);
        }
        browser.open = originalOpen;
        browser.location.assign(url);
        return window;
    };
}

/**
 * Pick ``label`` in the selection field ``field`` (a selector): open its menu,
 * click the choice, and wait until the field shows it.
 */
function pickSelection(field, label, description) {
    const toggler = `${field} .o_select_menu_toggler`;
    return [
        {
            content: `${description}: open the choices`,
            trigger: toggler,
            run: "click",
        },
        {
            content: `${description}: pick ${label}`,
            trigger: `.o-dropdown--menu .o_select_menu_item:contains('${label}')`,
            run: "click",
        },
        {
            content: `${description}: ${label} is chosen`,
            trigger: `${toggler}:value('${label}'), ${toggler}:contains('${label}')`,
        },
    ];
}

/**
 * The approval form (查（借）阅审批表): the requesting unit and the two
 * readers, party members, that the company's default settings want.
 */
function approvalFormSteps() {
    const readers = [
        ["李查阅", "干部科科长"],
        ["王查阅", "干部科科员"],
    ];
    const readerRow = ".o_form_view .o_field_widget[name='reader_ids'] .o_selected_row";
    return [
        {
            content: "Open the Approval Form tab",
            trigger: ".o_form_view .o_notebook_headers a[name='approval_form']",
            run: "click",
        },
        {
            content: "Enter the requesting unit",
            trigger: ".o_form_view .o_field_widget[name='requesting_unit'] input",
            run: "edit 县委组织部干部科",
        },
        ...readers.flatMap(([name, post]) => [
            {
                content: `Add the reader ${name}`,
                trigger:
                    ".o_form_view .o_field_widget[name='reader_ids'] " +
                    ".o_field_x2many_list_row_add a",
                run: "click",
            },
            {
                content: `Name the reader ${name}`,
                trigger: `${readerRow} .o_field_widget[name='name'] input`,
                run: `edit ${name}`,
            },
            {
                content: `The post of ${name}`,
                trigger: `${readerRow} .o_field_widget[name='post'] input`,
                run: `edit ${post}`,
            },
            ...pickSelection(
                `${readerRow} .o_field_widget[name='political_status']`,
                "CPC Member",
                `${name} is a party member`
            ),
        ]),
    ];
}

registry.category("web_tour.tours").add("cadre_archive_request_submit", {
    url: "/odoo",
    steps: () => {
        const [dateStart, dateEnd] = requestPeriod();
        return [
            ...openConsultationMenu(
                "cadre_archive.menu_cadre_archive_request",
                "Open My Requests"
            ),
            {
                content: "Wait for the list of my requests",
                trigger:
                    ".o_list_view .o_last_breadcrumb_item:contains('Consultation Requests')",
            },
            {
                content: "Create a request",
                trigger: ".o_list_button_add",
                run: "click",
            },
            {
                content: "The new request is a draft",
                trigger:
                    ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Draft')",
            },
            {
                content: "The requester is me, and I cannot change it",
                trigger:
                    ".o_form_view .o_field_widget[name='requester_id']" +
                    ":not(:has(input)):contains('Tour Requester')",
            },
            {
                content: "Search the cadre Tour Cadre",
                trigger: ".o_form_view .o_field_widget[name='cadre_ids'] input",
                run: "edit Tour Cadre",
            },
            {
                // Clicking the input first lists every cadre (Other Cadre too);
                // pick from the list searched for "Tour Cadre" only, so that no
                // pending search reopens the list after the pick.
                content: "Pick Tour Cadre among the cadres found",
                trigger:
                    ".o-autocomplete--dropdown-menu" +
                    ":not(:has(.dropdown-item:contains('Other Cadre'))) " +
                    ".dropdown-item:contains('Tour Cadre')",
                run: "click",
            },
            {
                content: "Tour Cadre alone is among the cadres, and the list is closed",
                trigger:
                    "body:not(:has(.o-autocomplete--dropdown-menu)) " +
                    ".o_form_view .o_field_widget[name='cadre_ids']" +
                    ":not(:has(.o_tag:contains('Other Cadre'))) " +
                    ".o_tag:contains('Tour Cadre')",
            },
            {
                content: "The kind is Online Viewing",
                trigger:
                    ".o_form_view .o_field_widget[name='request_type'] input:value('Online Viewing')",
            },
            {
                content: `Enter the first day of the period: ${dateStart}`,
                trigger: `${PERIOD} input[data-field='date_start']`,
                run: `edit ${dateStart} && press Enter`,
            },
            {
                content: "The first day is set",
                trigger: `${PERIOD}:has(${dateIs("date_start", dateStart)})`,
            },
            {
                content: "Open the last day of the period when it shows as a button",
                trigger: `${PERIOD} [data-field='date_end']`,
                async run({ anchor, click }) {
                    if (anchor.tagName === "BUTTON") {
                        await click();
                    }
                },
            },
            {
                content: `Enter the last day of the period: ${dateEnd}`,
                trigger: `${PERIOD} input[data-field='date_end']`,
                run: `edit ${dateEnd} && press Enter`,
            },
            {
                content: "The period runs from today to tomorrow",
                trigger:
                    `${PERIOD}:has(${dateIs("date_start", dateStart)})` +
                    `:has(${dateIs("date_end", dateEnd)})`,
            },
            ...pickSelection(
                ".o_form_view .o_field_widget[name='purpose_type']",
                "Cadre Assessment",
                "Choose the case of the regulations: a cadre assessment"
            ),
            {
                content: "Enter the purpose",
                trigger: ".o_form_view .o_field_widget[name='purpose'] textarea",
                run: "edit 干部考察",
            },
            ...approvalFormSteps(),
            ...stepUtils.saveForm(),
            {
                content: "The saved request has a reference",
                trigger: ".o_form_view .o_field_widget[name='name']:not(:contains('New'))",
            },
            {
                content: "Submit the request",
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_submit']:enabled",
                run: "click",
            },
            {
                content: "The request is submitted and can no longer be submitted",
                trigger:
                    ".o_form_view:not(:has(button[name='action_submit'])) " +
                    ".o_statusbar_status .o_arrow_button_current:contains('Submitted')",
            },
            {
                content: "The purpose is read-only now, and no error is shown",
                trigger:
                    "body:not(:has(.o_error_dialog)):not(:has(.o_notification_bar.bg-danger)) " +
                    ".o_form_view .o_field_widget[name='purpose']" +
                    ":not(:has(textarea)):contains('干部考察')",
            },
            {
                content:
                    "The approvers' to-do is shown in the chatter, with neither " +
                    "Mark Done nor Edit for me",
                trigger:
                    ".o-mail-Chatter .o-mail-Activity:not(:has(.o-mail-Activity-markDone))" +
                    ":not(:has(.o-mail-Activity-edit))",
            },
        ];
    },
});

registry.category("web_tour.tours").add("cadre_archive_request_approve", {
    url: "/odoo",
    steps: () => [
        ...openConsultationMenu(
            "cadre_archive.menu_cadre_archive_request_to_approve",
            "Open Requests to Approve"
        ),
        {
            content: "Open the submitted request for Tour Cadre",
            trigger:
                ".o_list_view .o_data_row:contains('Tour Cadre'):contains('Submitted') " +
                "td.o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "The request waits for approval",
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Submitted')",
        },
        {
            content: "The request is for Tour Cadre, for a 干部考察",
            trigger:
                ".o_form_view:has(.o_field_widget[name='purpose']:contains('干部考察')) " +
                ".o_field_widget[name='cadre_ids']:contains('Tour Cadre')",
        },
        {
            content:
                "My approval to-do can be rescheduled (Edit) but not marked done: " +
                "it is settled by Approve or Refuse",
            trigger:
                ".o-mail-Chatter .o-mail-Activity:has(.o-mail-Activity-edit)" +
                ":not(:has(.o-mail-Activity-markDone))",
        },
        {
            content: "Approve the request",
            trigger:
                ".o_form_view .o_statusbar_buttons " +
                "button[name='action_open_approve_dialog']:enabled",
            run: "click",
        },
        {
            content: "The dialog says what is approved and proposes an opinion",
            trigger:
                ".modal .o_field_widget[name='summary']:contains('Tour Cadre')" +
                ":contains('Online Viewing')",
        },
        {
            content: "Give the approval opinion (审批意见)",
            trigger: ".modal .o_field_widget[name='opinion'] textarea",
            run: "edit 同意查阅，注意保密",
        },
        {
            content: "Confirm the approval",
            trigger: ".modal footer button[name='action_approve']",
            run: "click",
        },
        {
            content: "The approval is confirmed",
            trigger: ".o_notification:contains('approved')",
        },
        {
            content: "The request is approved and can no longer be approved",
            trigger:
                "body:not(:has(.modal)) " +
                ".o_form_view:not(:has(button[name='action_open_approve_dialog'])) " +
                ".o_statusbar_status .o_arrow_button_current:contains('Approved')",
        },
        {
            content: "The approver is shown, and no error",
            trigger:
                "body:not(:has(.o_error_dialog)):not(:has(.o_notification_bar.bg-danger)) " +
                ".o_form_view .o_field_widget[name='approver_id']:contains('Tour Manager')",
        },
        {
            content: "The approver is not offered to consult: that is the requester's",
            trigger:
                ".o_form_view:not(:has(button[name='action_open_material_list']))" +
                ":not(:has(.alert-success[role='status'])) .o_form_sheet",
        },
        {
            content: "The opinion is in the chatter",
            trigger: ".o-mail-Message:contains('同意查阅，注意保密')",
        },
    ],
});

registry.category("web_tour.tours").add("cadre_archive_request_view", {
    url: "/odoo",
    steps: () => [
        ...openConsultationMenu(
            "cadre_archive.menu_cadre_archive_material_consult",
            "Open Materials Open to Me"
        ),
        {
            content: "Wait for the list of the materials open to me",
            trigger: ".o_list_view .o_last_breadcrumb_item:contains('Materials Open to Me')",
        },
        {
            content: "View the material 任免审批表 (in this tab)",
            trigger:
                ".o_list_view .o_data_row:contains('Tour Cadre'):contains('任免审批表') " +
                "button[name='action_open_viewer']",
            async run({ click }) {
                openNextViewerInThisTab();
                await click();
            },
            expectUnloadPage: true,
        },
        {
            content: "The viewer shows the material 任免审批表",
            trigger: ".o_cadre_archive_viewer .o_cadre_archive_viewer_title:contains('任免审批表')",
        },
        {
            content: "Wait for the watermarked page to load",
            trigger: ".o_cadre_archive_viewer img.o_cadre_archive_page",
            run() {
                const img = this.anchor;
                const mark = () => {
                    document.body.setAttribute(
                        PAGE_MARKER,
                        img.naturalWidth > 0
                            ? `loaded ${img.naturalWidth}x${img.naturalHeight}`
                            : "failed"
                    );
                };
                document.body.removeAttribute(PAGE_MARKER);
                if (img.complete) {
                    mark();
                } else {
                    img.addEventListener("load", mark, { once: true });
                    img.addEventListener("error", mark, { once: true });
                    // the page is lazily loaded: bring it into view
                    img.scrollIntoView();
                }
            },
        },
        {
            content: "The watermarked page has loaded",
            trigger: `body[${PAGE_MARKER}]`,
            run() {
                const state = document.body.getAttribute(PAGE_MARKER);
                if (!state.startsWith("loaded ")) {
                    throw new Error(`The watermarked page did not load (${state}).`);
                }
            },
        },
    ],
});
