import { dragenterFiles, dropFiles } from "@web/../tests/utils";
import { registry } from "@web/core/registry";

/**
 * An archive officer adds a material to a cadre's dossier from its Drafts
 * tab, drops its two page scans in one go on the material's dialog, sees
 * the two pages listed in order without reloading, files it through the check
 * of its category (3, seen and signed by the cadre) and sees its number.
 *
 * Data come from cadre_archive/tests/test_material_scan_tour.py, which starts
 * the tour on the dossier of "Scan Cadre" and checks the database afterwards.
 */

const TITLE = "2020年度考核登记表";


/** A JPEG page drawn in the browser, named ``name``. */
async function makePage(text, name) {
    const canvas = document.createElement("canvas");
    canvas.width = 620;
    canvas.height = 877;
    const context = canvas.getContext("2d");
    context.fillStyle = "white";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = "black";
    context.font = "32px sans-serif";
    for (let line = 0; line < 12; line++) {
        context.fillText(`${text} - ${line + 1}`, 60, 80 + line * 60);
    }
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
    return new File([blob], name, { type: "image/jpeg" });
}

registry.category("web_tour.tours").add("cadre_archive_material_scans", {
    steps: () => [
        {
            content: "Wait for the dossier form of Scan Cadre",
            trigger:
                ".o_form_view .o_field_widget[name='employee_id']:contains('Scan Cadre'), " +
                ".o_form_view .o_field_widget[name='employee_id'] input:value('Scan Cadre')",
        },
        {
            content: "Open the Drafts tab",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Drafts')",
            run: "click",
        },
        {
            content: "Add a material",
            trigger:
                ".o_form_view .o_field_widget[name='draft_material_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "The material opens in a dialog of its own, in the dossier of Scan Cadre",
            trigger:
                ".modal .o_form_view .o_field_widget[name='dossier_id'] input:value('Scan Cadre')",
        },
        {
            content: "The dialog offers the upload of scans (no chatter needed)",
            trigger: ".modal .o_cadre_archive_scan_upload button:contains('Upload Scans')",
        },
        {
            content: "Enter the title",
            trigger: ".modal .o_form_view .o_field_widget[name='name'] input",
            run: `edit ${TITLE}`,
        },
        {
            content: "Search the category 3",
            trigger: ".modal .o_form_view .o_field_widget[name='category_id'] input",
            run: "edit Assessment",
        },
        {
            content: "Pick 3 Assessment and Appraisal Materials",
            trigger:
                ".o-autocomplete--dropdown-menu .dropdown-item:contains('3 Assessment and Appraisal Materials')",
            run: "click",
        },
        {
            content: "Type an impossible formation date",
            trigger: ".modal .o_form_view .o_field_widget[name='date_input'] input",
            run: "edit 2020.13 && press Tab",
        },
        {
            content: "The date is checked as it is typed: close the warning",
            trigger: ".modal:contains('2020.13 is not a possible date.') .modal-footer button",
            run: "click",
        },
        {
            content: "Correct the formation date",
            trigger:
                "body:not(:has(.modal:contains('not a possible date'))) " +
                ".modal .o_form_view .o_field_widget[name='date_input'] input",
            run: "edit 2020.12 && press Tab",
        },
        {
            content: "Enter the page count",
            trigger: ".modal .o_form_view .o_field_widget[name='page_count'] input",
            run: "edit 2 && press Tab",
        },
        {
            content: "Drag the two page scans, in order, and drop them on the area offered",
            trigger: ".modal .o_cadre_archive_scan_upload button:enabled",
            async run() {
                const files = [
                    await makePage("page 1", "考核-1.jpg"),
                    await makePage("page 2", "考核-2.jpg"),
                ];
                await dragenterFiles(".modal .o_cadre_archive_scan_upload", files);
                await dropFiles(".o_cadre_archive_scan_dropzone", files);
            },
        },
        {
            content: "The two scans are listed at once, in the order given",
            trigger:
                ".modal .o_field_widget[name='attachment_ids'] .o_data_row:first:contains('考核-1.jpg')" +
                " ~ .o_data_row:contains('考核-2.jpg')",
        },
        {
            content: "Their sizes are shown in plain units",
            trigger:
                ".modal .o_field_widget[name='attachment_ids'] .o_data_row:first td[name='file_size']:contains('Kb')",
        },
        {
            content: "Open the scanned pages",
            trigger: ".modal .o_notebook .nav-link:contains('Scanned Pages')",
            run: "click",
        },
        {
            content: "Page 1 is the first page of the first scan",
            trigger:
                ".modal .o_field_widget[name='page_ids'] .o_data_row:first" +
                ":has(td[name='material_page_number']:contains('1')):contains('考核-1.jpg')",
        },
        {
            content: "Page 2 is the first page of the second scan",
            trigger:
                ".modal .o_field_widget[name='page_ids'] .o_data_row:last" +
                ":has(td[name='material_page_number']:contains('2')):contains('考核-2.jpg')",
        },
        {
            content: "File the material",
            trigger: ".modal .o_statusbar_buttons button[name='action_open_filing_check']:enabled",
            run: "click",
        },
        {
            content: "Confirm the filing",
            trigger: ".modal:contains('Once filed') .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Its category asks for the check before filing: select the point",
            trigger: ".modal:contains('Seen and signed by the cadre') .o_data_row td[name='passed']",
            run: "click",
        },
        {
            content: "Tick 'Seen and signed by the cadre'",
            trigger:
                ".modal:contains('Seen and signed by the cadre') .o_data_row .o_field_widget[name='passed'] input",
            async run({ queryFirst, click }) {
                const input = queryFirst(
                    ".modal .o_data_row .o_field_widget[name='passed'] input"
                );
                if (!input.checked) {
                    await click(input);
                }
            },
        },
        {
            content: "The point is ticked",
            trigger: ".modal .o_data_row .o_field_widget[name='passed'] input:checked",
        },
        {
            content: "Checked: file it",
            trigger: ".modal .modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The filed material shows its number 3-1",
            trigger:
                ".modal:not(:contains('Seen and signed by the cadre')) .o_form_view " +
                ".o_field_widget[name='code']:contains('3-1')",
        },
        {
            content: "Filed: no File button and no upload area any more",
            trigger:
                ".modal .o_form_view:not(:has(button[name='action_open_filing_check']))" +
                ":not(:has(.o_cadre_archive_scan_upload))" +
                " .o_statusbar_status .o_arrow_button_current:contains('Filed')",
        },
        {
            content: "Close the material",
            trigger: ".modal .modal-header .btn-close",
            run: "click",
        },
        {
            content: "Open the catalog of the dossier",
            trigger: "body:not(:has(.modal)) .o_form_view .o_notebook .nav-link:contains('Catalog')",
            run: "click",
        },
        {
            content: "The dossier's catalog lists the filed material with its number",
            trigger:
                ".o_form_view .o_field_widget[name='catalog_material_ids'] " +
                `.o_data_row:contains('${TITLE}'):contains('3-1')`,
        },
    ],
});

/**
 * Steps opening the Actions menu of the current view (the gear of a form,
 * the "Actions" of a list selection) and checking whether Delete is offered.
 */
function deleteOffered(where, offered) {
    const menu = ".o-dropdown--menu";
    const deleteItem = ".dropdown-item:contains('Delete')";
    return [
        {
            content: `${where}: open the actions`,
            trigger: ".o_control_panel .o_cp_action_menus button.dropdown-toggle",
            run: "click",
        },
        {
            content: `${where}: Delete is ${offered ? "offered" : "not offered"}`,
            trigger: offered
                ? `${menu} ${deleteItem}`
                : `${menu}:has(.dropdown-item):not(:has(${deleteItem}))`,
        },
        {
            content: `${where}: close the actions`,
            trigger: ".o_control_panel .o_cp_action_menus button.dropdown-toggle",
            run: "click",
        },
        {
            content: `${where}: the actions are closed`,
            trigger: `body:not(:has(${menu}))`,
        },
    ];
}

/**
 * A filed material is evidence: Delete is not offered for it, in its form or
 * in a list selection holding it, while a draft can still be deleted.
 *
 * Data come from TestMaterialScanTour.test_filed_materials_offer_no_delete.
 */
registry.category("web_tour.tours").add("cadre_archive_filed_material_no_delete", {
    steps: () => [
        {
            content: "Select the draft material",
            trigger: ".o_list_view .o_data_row:contains('待归档登记表') .o_list_record_selector input",
            run: "click",
        },
        ...deleteOffered("A draft selected", true),
        {
            content: "Select the filed material too",
            trigger: ".o_list_view .o_data_row:contains('已归档履历表') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Two materials are selected",
            trigger:
                ".o_list_view" +
                ":has(.o_data_row:contains('待归档登记表') .o_list_record_selector input:checked)" +
                ":has(.o_data_row:contains('已归档履历表') .o_list_record_selector input:checked)",
        },
        ...deleteOffered("A draft and a filed material selected", false),
        {
            content: "Unselect them all",
            trigger: ".o_list_view thead .o_list_record_selector input",
            async run({ anchor, click }) {
                // the header box selects the page first when some are chosen
                await click();
                if (anchor.checked) {
                    await click();
                }
            },
        },
        {
            content: "Open the draft material",
            trigger:
                ".o_list_view:not(:has(.o_list_record_selector input:checked)) " +
                ".o_data_row:contains('待归档登记表') td[name='name']",
            run: "click",
        },
        {
            content: "The draft's form is open",
            trigger: ".o_form_view .o_field_widget[name='name'] input:value('待归档登记表')",
        },
        ...deleteOffered("The draft's form", true),
        {
            content: "Next record: the filed material",
            trigger: ".o_pager_next",
            run: "click",
        },
        {
            content: "The filed material's form is open",
            trigger:
                ".o_form_view:has(.o_statusbar_status .o_arrow_button_current:contains('Filed')) " +
                ".o_field_widget[name='name']:contains('已归档履历表')",
        },
        ...deleteOffered("The filed material's form", false),
    ],
});
