import { Component, useRef, useState } from "@odoo/owl";
import { useDropzone } from "@web/core/dropzone/dropzone_hook";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { checkFileSize } from "@web/core/utils/files";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/** The files a scan may be (the server checks their content). */
export const SCAN_EXTENSIONS = ".jpg,.jpeg,.png,.tif,.tiff,.pdf";

/**
 * Upload area of the scans of a draft material, on its form (also when the
 * form is a dialog, which has no chatter).
 *
 * Several page files are chosen or dropped at once and uploaded in one
 * request, in the order given (the server creates them in that order, all or
 * none). A new material is saved first, as Odoo's attach_document widget
 * does: scans go onto the saved draft. The record is then reloaded, so that
 * the scans and their pages are listed at once.
 */
export class ScanUpload extends Component {
    static template = "cadre_archive.ScanUpload";
    static props = { ...standardWidgetProps };

    setup() {
        this.http = useService("http");
        this.notification = useService("notification");
        this.root = useRef("root");
        this.input = useRef("input");
        this.state = useState({ uploading: false });
        this.accept = SCAN_EXTENSIONS;
        useDropzone(
            this.root,
            (ev) => this.upload([...ev.dataTransfer.files]),
            "o_cadre_archive_scan_dropzone",
            () => this.canUpload
        );
    }

    get canUpload() {
        return !this.props.readonly && !this.state.uploading;
    }

    openFilePicker() {
        this.input.el.click();
    }

    async onInputChange(ev) {
        const files = [...ev.target.files];
        // the same file chosen again must trigger a new change
        ev.target.value = "";
        await this.upload(files);
    }

    async upload(files) {
        if (!files.length || !this.canUpload) {
            return;
        }
        if (!files.every((file) => checkFileSize(file.size, this.notification))) {
            return;
        }
        this.state.uploading = true;
        try {
            const record = this.props.record;
            if (!(await record.save())) {
                return;
            }
            const result = await this.http.post(
                `/cadre_archive/material/${record.resId}/scans`,
                { csrf_token: odoo.csrf_token, ufile: files },
                "json"
            );
            if (result.error) {
                this.notification.add(result.error, {
                    title: _t("The scans were not added"),
                    type: "danger",
                });
                return;
            }
            await record.load();
            this.notification.add(
                _t("%(count)s scan(s) added.", { count: result.ids.length }),
                { type: "success" }
            );
        } finally {
            this.state.uploading = false;
        }
    }
}

export const scanUpload = {
    component: ScanUpload,
};

registry.category("view_widgets").add("cadre_archive_scan_upload", scanUpload);
