import { registry } from "@web/core/registry";
import { formView } from "@web/views/form/form_view";
import { FormController } from "@web/views/form/form_controller";
import { listView } from "@web/views/list/list_view";
import { ListController } from "@web/views/list/list_controller";

/**
 * Materials: the Delete action is offered only where it can succeed.
 *
 * A filed material is evidence and is never deleted (the server refuses it
 * in any case): a view's ``delete`` attribute cannot depend on the record, so
 * the controllers hide the action for filed materials.
 */
function isFiled(record) {
    return record.data.state === "filed";
}

export class MaterialFormController extends FormController {
    getStaticActionMenuItems() {
        const items = super.getStaticActionMenuItems();
        const canDelete = items.delete.isAvailable;
        items.delete.isAvailable = () => canDelete() && !isFiled(this.model.root);
        return items;
    }
}

export class MaterialListController extends ListController {
    getStaticActionMenuItems() {
        const items = super.getStaticActionMenuItems();
        const canDelete = items.delete.isAvailable;
        items.delete.isAvailable = () =>
            canDelete() && !this.model.root.selection.some(isFiled);
        return items;
    }
}

registry.category("views").add("cadre_archive_material_form", {
    ...formView,
    Controller: MaterialFormController,
});

registry.category("views").add("cadre_archive_material_list", {
    ...listView,
    Controller: MaterialListController,
});
