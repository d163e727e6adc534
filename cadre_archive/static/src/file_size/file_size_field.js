import { Component, xml } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { humanSize } from "@web/core/utils/binary";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * A size in bytes (such as the file_size of an attachment) shown in plain
 * units: 245.31 Kb rather than 251199. Odoo 19 has no field widget for it.
 */
export class FileSizeField extends Component {
    static template = xml`<span t-esc="formattedSize"/>`;
    static props = { ...standardFieldProps };

    get formattedSize() {
        const size = this.props.record.data[this.props.name];
        return size ? humanSize(size) : "";
    }
}

export const fileSizeField = {
    component: FileSizeField,
    displayName: _t("File Size"),
    supportedTypes: ["integer"],
};

registry.category("fields").add("cadre_archive_file_size", fileSizeField);
