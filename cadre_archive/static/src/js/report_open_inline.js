import { browser } from "@web/core/browser/browser";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { getReportUrl } from "@web/webclient/actions/reports/utils";

/**
 * Reports of the archive that officers read before they print them: the web
 * client opens their PDF in a new tab, in the browser's PDF viewer, instead of
 * downloading a file (/report/pdf answers the PDF inline).
 *
 * When wkhtmltopdf is not usable, or the browser blocks the new tab, the
 * handler steps aside and Odoo does what it always does (HTML preview or
 * download).
 */
export const INLINE_REPORTS = new Set(["cadre_archive.report_dossier_catalog"]);

let wkhtmltopdfState;

function wkhtmltopdfUsable() {
    wkhtmltopdfState ||= rpc("/report/check_wkhtmltopdf");
    return wkhtmltopdfState.then((state) => ["ok", "upgrade"].includes(state));
}

export async function openReportInline(action) {
    if (action.report_type !== "qweb-pdf" || !INLINE_REPORTS.has(action.report_name)) {
        return false;
    }
    if (!(await wkhtmltopdfUsable())) {
        return false;
    }
    const opened = browser.open(getReportUrl(action, "pdf"), "_blank");
    return Boolean(opened);
}

registry.category("ir.actions.report handlers").add("cadre_archive_open_inline", openReportInline);
