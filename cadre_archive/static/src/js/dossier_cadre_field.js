import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Many2OneAvatarEmployeeField } from "@hr/views/fields/many2one_avatar_employee_field/many2one_avatar_employee_field";

/**
 * The cadre of a new dossier. The field's domain offers the employees of the
 * user's units who have no dossier yet (archive officers read employees
 * through their public profile: the HR widget switches to it). A cadre who
 * already has a dossier the user keeps is offered below the suggestions as
 * "open the dossier", so that nobody fills a form that would be refused.
 */
export class DossierCadreField extends Many2OneAvatarEmployeeField {
    setup() {
        super.setup();
        this.orm = useService("orm");
        this.action = useService("action");
    }

    get m2oProps() {
        return {
            ...super.m2oProps,
            otherSources: [this.existingDossierSource],
        };
    }

    get existingDossierSource() {
        return {
            placeholder: _t("Looking for existing dossiers..."),
            options: async (request) => {
                if (this.props.record.resId || !request.trim()) {
                    return [];
                }
                const dossiers = await this.orm.call(
                    "cadre.archive.dossier",
                    "archive_find_kept_dossiers",
                    [request]
                );
                return dossiers.map((dossier) => ({
                    cssClass: "o_m2o_dropdown_option o_cadre_archive_existing_dossier",
                    label: _t("Already has a dossier: open %(dossier)s", {
                        dossier: dossier.display_name,
                    }),
                    onSelect: () => this.openDossier(dossier.id),
                }));
            },
        };
    }

    async openDossier(dossierId) {
        // leave the new dossier unsaved: it was never meant to exist
        await this.props.record.discard();
        await this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "cadre.archive.dossier",
            res_id: dossierId,
            views: [[false, "form"]],
        });
    }
}

const fields = registry.category("fields");
fields.add("cadre_archive_dossier_cadre", {
    ...fields.get("many2one_avatar_employee"),
    component: DossierCadreField,
});
