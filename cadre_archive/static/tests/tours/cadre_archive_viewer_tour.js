import { registry } from "@web/core/registry";

/**
 * An archive officer reads a material in the page viewer
 * (cadre_archive_officer_viewer): from the material form, "View Pages" opens
 * the viewer in place; it names the material (the browser tab too), shows
 * page 1, moves to page 2, and leads back to the material form.
 *
 * Data come from cadre_archive/tests/test_viewer_tour.py (a filed material
 * "任免审批表" with one two-page scan, in the officer's unit), which starts the
 * tour on the material form and checks the access log afterwards.
 */

const PAGE_MARKER = "data-cadre-archive-page";
const TITLE = "任免审批表";

/**
 * Steps waiting until the page image of the viewer has loaded (its bytes are
 * what the server logs), then checking it loaded and showed page ``number``.
 */
function pageLoadedSteps(number) {
    return [
        {
            content: `Wait for page ${number} to load`,
            trigger: `.o_cadre_archive_viewer img.o_cadre_archive_page[src$='/page/${number}']`,
            run() {
                const img = this.anchor;
                const mark = () => {
                    document.body.setAttribute(
                        PAGE_MARKER,
                        img.naturalWidth > 0 ? `loaded ${number}` : "failed"
                    );
                };
                document.body.removeAttribute(PAGE_MARKER);
                if (img.complete) {
                    mark();
                } else {
                    img.addEventListener("load", mark, { once: true });
                    img.addEventListener("error", mark, { once: true });
                }
            },
        },
        {
            content: `Page ${number} has loaded`,
            trigger: `body[${PAGE_MARKER}]`,
            run() {
                const state = document.body.getAttribute(PAGE_MARKER);
                if (state !== `loaded ${number}`) {
                    throw new Error(`Page ${number} did not load (${state}).`);
                }
            },
        },
    ];
}

registry.category("web_tour.tours").add("cadre_archive_officer_viewer", {
    steps: () => [
        {
            content: "Wait for the form of the material",
            trigger: `.o_form_view .o_field_widget[name='name']:contains('${TITLE}')`,
        },
        {
            content: "View the pages of the material",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_open_viewer']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The viewer names the material, page 1 of 2",
            trigger:
                `.o_cadre_archive_viewer:has(.o_cadre_archive_viewer_title:contains('${TITLE}')) ` +
                ".o_cadre_archive_page_label:contains('Page 1 of 2')",
            run() {
                if (!document.title.includes(TITLE)) {
                    throw new Error(`The browser tab is titled "${document.title}".`);
                }
            },
        },
        ...pageLoadedSteps(1),
        {
            content: "Zoom in",
            trigger: "label[for='o_cadre_archive_zoom_200']",
            run: "click",
        },
        {
            content: "The page is shown at 200%",
            trigger: "#o_cadre_archive_zoom_200:checked",
        },
        {
            content: "Go to the next page",
            trigger: ".o_cadre_archive_viewer a.o_cadre_archive_next",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The viewer shows page 2 of 2",
            trigger: ".o_cadre_archive_viewer .o_cadre_archive_page_label:contains('Page 2 of 2')",
        },
        ...pageLoadedSteps(2),
        {
            content: "Go back to the material",
            trigger: ".o_cadre_archive_viewer a.o_cadre_archive_back_0",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The form of the material is shown again, with no error",
            trigger:
                "body:not(:has(.o_error_dialog)) " +
                `.o_form_view .o_field_widget[name='name']:contains('${TITLE}')`,
        },
    ],
});
