import { makeContext } from "@web/core/context";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useOwnedDialogs } from "@web/core/utils/hooks";
import { X2ManyField, x2ManyField } from "@web/views/fields/x2many/x2many_field";
import { FormViewDialog } from "@web/views/view_dialogs/form_view_dialog";

/**
 * The materials of a dossier (its drafts, its catalog), each opened in a
 * dialog of its own.
 *
 * A line of a one2many opens as a sub-record of the dossier, saved only with
 * the dossier: scans cannot be uploaded onto it, nor can it be filed. Here a
 * material (new or existing) opens in a form dialog of its own, saved on its
 * own, where it is created, scanned and filed as in the materials list; the
 * dossier is saved first and reloaded when the dialog closes (a filed draft
 * moves to the catalog).
 */
export class DossierMaterialsField extends X2ManyField {
    setup() {
        super.setup();
        this.addMaterialDialog = useOwnedDialogs();
    }

    async openRecord(record) {
        return this.openMaterial(record.resId);
    }

    async onAdd({ context } = {}) {
        return this.openMaterial(false, context);
    }

    async openMaterial(resId, context) {
        const dossier = this.props.record;
        if (!(await dossier.save())) {
            return;
        }
        this.addMaterialDialog(
            FormViewDialog,
            {
                resModel: this.list.resModel,
                resId,
                context: makeContext([this.props.context, context]),
                title: resId ? _t("Material") : _t("New Material"),
            },
            { onClose: () => dossier.load() }
        );
    }
}

export const dossierMaterialsField = {
    ...x2ManyField,
    component: DossierMaterialsField,
};

registry.category("fields").add("cadre_archive_dossier_materials", dossierMaterialsField);
