# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Translated messages for the errors raised by the plain-Python ``lib``.

``lib`` never speaks to users: it raises errors carrying a code and parameters.
This module turns them into sentences in the user's language.
"""

import contextlib

from odoo.exceptions import UserError

from ..lib.errors import ArchiveLibError


@contextlib.contextmanager
def lib_errors(env, error_class=UserError):
    """Turn a coded error of ``lib`` raised inside the block into a translated
    ``error_class`` (``UserError`` unless said otherwise)."""
    try:
        yield
    except ArchiveLibError as error:
        raise error_class(lib_error_message(env, error)) from error


def lib_error_message(env, error):
    """Return the translated message for a ``lib.errors.ArchiveLibError``."""
    params = {key: str(value) for key, value in error.params.items()}
    messages = {
        "unparsable": lambda: env._(
            "%(text)s is not a date. Write it as 1985.03.12, 1985.03, 1985 or "
            "1985年3月12日.",
            text=params.get("text", ""),
        ),
        "invalid": lambda: env._(
            "%(text)s is not a possible date.",
            text=params.get("text")
            or "-".join(
                params[key] for key in ("year", "month", "day") if params.get(key)
            ),
        ),
        "bad_category_code": lambda: env._(
            "Category code %(code)s is not of the form 1..10 or 4-1.",
            code=params.get("code", ""),
        ),
        "bad_number": lambda: env._("A sequence number (顺序号) must be 1 or more."),
        "bad_precision": lambda: env._("A date precision must be day, month or year."),
        "duplicate_category": lambda: env._(
            "Category %(code)s appears twice in the catalog.",
            code=params.get("code", ""),
        ),
        "duplicate_material": lambda: env._(
            "Material number %(code)s appears twice in the dossier.",
            code=params.get("code", ""),
        ),
        "bad_timezone": lambda: env._(
            "The time zone %(tz)s is unknown: set a valid time zone in your "
            "preferences.",
            tz=params.get("tz", ""),
        ),
        "end_before_start": lambda: env._(
            "The end of the period cannot be before its start."
        ),
        "in_the_past": lambda: env._("The period is already over."),
        "start_in_the_past": lambda: env._("The period cannot start in the past."),
        "too_long": lambda: env._(
            "The period covers %(days)s days; this kind of consultation allows "
            "at most %(max)s.",
            days=params.get("days", "?"),
            max=params.get("max", "?"),
        ),
        "bad_max_days": lambda: env._("The longest period must be at least one day."),
        "bad_date": lambda: env._("Invalid date."),
        "no_such_page": lambda: env._(
            "Page %(page)s does not exist: this scan has %(count)s pages.",
            page=params.get("page", "?"),
            count=params.get("count", "?"),
        ),
        "too_many_pages": lambda: env._(
            "This scan has too many pages (%(count)s; the limit is %(max)s).",
            count=params.get("count", "?"),
            max=params.get("max", "?"),
        ),
        "no_watermark_text": lambda: env._("The watermark has no text."),
        "no_cjk_font": lambda: env._(
            "No Chinese font is installed on the server (install fonts-noto-cjk): "
            "pages cannot be watermarked."
        ),
        "bad_image_format": lambda: env._("Unsupported image format."),
        "bad_max_side": lambda: env._("Invalid page size."),
        "missing_header": lambda: env._("A column header is missing in the register."),
        "aware_datetime": lambda: env._("Invalid date and time in the register."),
        "bad_name": lambda: env._(
            "The file name does not follow the convention "
            "<archive number>_<category code>_<sequence number>_<page>."
        ),
        "bad_extension": lambda: env._(
            "Only .jpg, .jpeg, .png, .tif, .tiff and .pdf files are imported."
        ),
        "duplicate_page": lambda: env._("The same page appears twice in the zip."),
        "page_gap": lambda: env._(
            "Pages are missing or unreadable in this material: it is not imported "
            "until all its pages are there."
        ),
        "zip_bomb": lambda: env._(
            "This file decompresses to far more than its size: it is refused."
        ),
        "unsafe_path": lambda: env._(
            "This path is not allowed in a zip (absolute, '..' or a link)."
        ),
        "size_mismatch": lambda: env._(
            "This file is damaged in the zip: it holds %(actual)s bytes where the "
            "zip declares %(declared)s. Create the zip again.",
            actual=params.get("actual", "?"),
            declared=params.get("declared", "?"),
        ),
        "too_many_files": lambda: env._(
            "The zip holds too many files (%(count)s; the limit is %(max)s).",
            count=params.get("count", "?"),
            max=params.get("max", "?"),
        ),
        "no_such_member": lambda: env._(
            "The file %(path)s is not in the zip (or is in it more than once).",
            path=params.get("path", ""),
        ),
        "zip_empty": lambda: env._(
            "The uploaded file is empty: choose the zip file of the scans again."
        ),
        "not_a_zip": lambda: (
            env._(
                "The uploaded file is a %(kind)s file, not a zip archive: put the "
                "scans in a .zip file.",
                kind=params["kind"],
            )
            if params.get("kind")
            else env._(
                "The uploaded file is not a zip archive: put the scans in a .zip file."
            )
        ),
        "zip_truncated": lambda: env._(
            "The zip is incomplete (cut short after %(size)s bytes): the upload "
            "or the copy of the file was interrupted. Upload it again.",
            size=params.get("size", "?"),
        ),
        "zip_damaged": lambda: env._(
            "The zip is damaged and cannot be opened. Create it again."
        ),
        "zip_encrypted": lambda: env._(
            "The zip is protected by a password (encrypted): it cannot be read. "
            "Create it again without a password."
        ),
        "zip_too_large": lambda: env._(
            "The zip is too large: its files add up to %(size)s bytes; the limit "
            "is %(max)s.",
            size=params.get("size", "?"),
            max=params.get("max", "?"),
        ),
        "encrypted": lambda: env._(
            "This file is protected by a password (encrypted): it cannot be read. "
            "Add it again without a password."
        ),
        "member_damaged": lambda: env._(
            "This file is damaged in the zip (its data fails the zip's checks). "
            "Create the zip again."
        ),
        "unsupported_compression": lambda: env._(
            "This file is compressed with a method the server cannot read "
            "(method %(method)s). Create the zip again with the usual (Deflate) "
            "compression.",
            method=params.get("method", "?"),
        ),
        "tesseract_missing": lambda: env._(
            "Tesseract OCR is not installed on the server."
        ),
        "language_missing": lambda: env._(
            "The Chinese language data of Tesseract is not installed on the "
            "server (tesseract-ocr-chi-sim)."
        ),
        "timeout": lambda: env._("Text recognition took too long."),
        "failed": lambda: env._("Text recognition failed."),
        "bad_lang": lambda: env._("Invalid OCR language."),
        "bad_psm": lambda: env._("Invalid OCR page mode."),
        "bad_timeout": lambda: env._("Invalid OCR time limit."),
        "bad_rule": lambda: env._(
            "The scan quality rules are inconsistent: the recommended resolution "
            "must not be below the minimum."
        ),
        "bad_checksum": lambda: env._("Invalid checksum."),
        "unknown_category": lambda: env._(
            "Unknown category %(code)s.", code=params.get("code", "")
        ),
        "empty": lambda: env._("The scan file is empty."),
        "too_large": lambda: env._(
            "The scan file is too large (%(size)s bytes; the limit is %(max)s).",
            size=params.get("size", "?"),
            max=params.get("max", "?"),
        ),
        "unsupported": lambda: env._(
            "This file is not a scan: only JPEG, PNG, TIFF and PDF files are "
            "accepted (the type is read from the content, not the file name)."
        ),
        "unreadable": lambda: env._(
            "The scan file cannot be read: it is damaged or not what it claims to be."
        ),
        "truncated": lambda: env._(
            "The scan file is truncated (incomplete upload or damaged file)."
        ),
        "too_many_pixels": lambda: env._(
            "The scan image has too many pixels to be processed safely (the limit "
            "is %(max)s pixels per page).",
            max=params.get("max", "?"),
        ),
        "page_too_large": lambda: env._(
            "Page %(page)s of this scan is %(width)s x %(height)s pixels: more "
            "than the limit of %(max)s pixels per page.",
            page=params.get("page", "?"),
            width=params.get("width", "?"),
            height=params.get("height", "?"),
            max=params.get("max", "?"),
        ),
        "too_many_total_pixels": lambda: env._(
            "The pages of this scan have %(total)s pixels in all: more than the "
            "limit of %(max)s pixels per file.",
            total=params.get("total", "?"),
            max=params.get("max", "?"),
        ),
        "bad_page": lambda: env._(
            "Page %(page)s does not exist: this scan has %(count)s pages.",
            page=params.get("page", "?"),
            count=params.get("count", "?"),
        ),
        "bad_limit": lambda: env._(
            "Invalid scan decoding limit %(limit)s: %(value)s (it must be a "
            "whole number of at least 1).",
            limit=params.get("limit", "?"),
            value=params.get("value", "?"),
        ),
        # --- reading room (lib.networks) and excerpts/copies (lib.page_ranges)
        "bad_network": lambda: env._(
            "%(entry)s is not an address or an address range of the reading "
            "room: write addresses such as 192.168.5.17 or ranges such as "
            "10.1.2.0/24, separated by commas.",
            entry=params.get("entry", ""),
        ),
        "network_host_bits": lambda: env._(
            "%(entry)s is not the start of its range: write %(network)s for the "
            "whole range, or the address alone for one workstation.",
            entry=params.get("entry", ""),
            network=params.get("network", ""),
        ),
        "bad_page_count": lambda: env._(
            "The material has no valid page count (%(count)s): correct its "
            "catalog entry first.",
            count=params.get("count", "?"),
        ),
        "no_pages": lambda: env._(
            "Name the pages taken, e.g. 1-3,5 (pages 1 to 3 and page 5)."
        ),
        "bad_page_range": lambda: env._(
            "%(part)s is not a page or a range of pages: write page numbers from "
            "1 and ranges such as 1-3, separated by commas.",
            part=params.get("part", ""),
        ),
        "page_range_reversed": lambda: env._(
            "The range %(part)s ends before it starts.",
            part=params.get("part", ""),
        ),
        "page_beyond_count": lambda: env._(
            "Page %(page)s does not exist: the material has %(count)s pages in "
            "the catalog.",
            page=params.get("page", "?"),
            count=params.get("count", "?"),
        ),
        # --- catalog import (lib.catalog_import)
        "catalog_empty": lambda: env._(
            "The uploaded catalog file is empty: choose the file again."
        ),
        "bad_catalog_file": lambda: env._(
            "The catalog file cannot be read: save it again as an Excel workbook "
            "(.xlsx) or a CSV file."
        ),
        "catalog_too_large": lambda: env._(
            "The catalog workbook is too large: it decompresses to %(size)s bytes; "
            "the limit is %(max)s.",
            size=params.get("size", "?"),
            max=params.get("max", "?"),
        ),
        "bad_encoding": lambda: env._(
            "The CSV file is neither UTF-8 nor GB18030 text: save it again as "
            "CSV UTF-8."
        ),
        "no_catalog_sheet": lambda: env._(
            "The workbook has no sheet named %(sheet)s: use the template.",
            sheet=params.get("sheet", ""),
        ),
        "missing_columns": lambda: env._(
            "Sheet %(sheet)s lacks the columns %(columns)s: use the headers of "
            "the template.",
            sheet=params.get("sheet", ""),
            columns=params.get("columns", ""),
        ),
        "too_many_rows": lambda: env._(
            "The catalog has more than %(max)s rows: split it into several files.",
            max=params.get("max", "?"),
        ),
        "missing_cell": lambda: env._(
            "%(column)s is empty: it is required.", column=params.get("column", "")
        ),
        "category_is_date": lambda: env._(
            "The category code was turned into a date (%(value)s) by the "
            "spreadsheet: format the column as text and type it again (e.g. 9-2).",
            value=params.get("value", ""),
        ),
        "category_not_leaf": lambda: env._(
            "Category %(code)s has sub-categories: materials go into one of them "
            "(e.g. %(code)s-1).",
            code=params.get("code", ""),
        ),
        "bad_sequence_number": lambda: env._(
            "%(value)s is not a material number: write a whole number from 1.",
            value=params.get("value", ""),
        ),
        "bad_page_count_cell": lambda: env._(
            "%(value)s is not a page count: write a whole number from 1.",
            value=params.get("value", ""),
        ),
        "bad_formation_date": lambda: env._(
            "%(text)s is not a date. Write it as 1985, 1985.03, 1985.03.12, "
            "19850312 or 1985年3月12日.",
            text=params.get("text", ""),
        ),
        "ambiguous_date": lambda: env._(
            "The date %(value)s was typed as a number and may mean January or "
            "October: format the column as text and write 1985.01 or 1985.10.",
            value=params.get("value", ""),
        ),
        "future_date": lambda: env._(
            "The formation date %(text)s is in the future.",
            text=params.get("text", ""),
        ),
        "copy_date_not_day": lambda: env._(
            "The copy date %(text)s must be a full date (year, month and day).",
            text=params.get("text", ""),
        ),
        "bad_original_kind": lambda: env._(
            "%(value)s: write 原件 (original) or 复印件 (copy).",
            value=params.get("value", ""),
        ),
        "bad_copy_type": lambda: env._(
            "%(value)s: write 正本 (original) or 副本 (duplicate).",
            value=params.get("value", ""),
        ),
        "bad_dossier_state": lambda: env._(
            "%(value)s: write 在库 (in stock), 借出 (lent) or 转出 (transferred out).",
            value=params.get("value", ""),
        ),
        "duplicate_sequence_number": lambda: env._(
            "Material number %(code)s appears twice for this archive number (first "
            "in row %(first_row)s).",
            code=params.get("code", ""),
            first_row=params.get("first_row", "?"),
        ),
        "duplicate_dossier_row": lambda: env._(
            "This archive number appears twice on the dossier sheet (first in row "
            "%(first_row)s).",
            first_row=params.get("first_row", "?"),
        ),
        "inconsistent_cadre": lambda: env._(
            "Archive number %(number)s belongs to %(name)s in an earlier row: one "
            "dossier holds the materials of one cadre.",
            number=params.get("number", ""),
            name=params.get("name", ""),
        ),
        "number_taken": lambda: env._(
            "Duplicate number: %(code)s is already taken in this dossier by %(title)s.",
            code=params.get("code", ""),
            title=params.get("title", ""),
        ),
        "unknown_rule": lambda: env._(
            "%(rule)s is not a known rule of missing materials.",
            rule=params.get("rule", ""),
        ),
        "negative_delay": lambda: env._("A delay cannot be negative."),
        "bad_delay_unit": lambda: env._("A delay is counted in days or in months."),
        "bad_kind": lambda: env._(
            "Unknown kind of column %(kind)s in the register.",
            kind=params.get("kind", ""),
        ),
        "duplicate_column": lambda: env._(
            "Column %(key)s appears twice in the register.",
            key=params.get("key", ""),
        ),
        "not_a_number": lambda: env._(
            "Column %(key)s of the register holds %(value)s, not a number.",
            key=params.get("key", ""),
            value=params.get("value", ""),
        ),
        "bad_year": lambda: env._(
            "%(year)s is not a year the statistics can be made for.",
            year=params.get("year", ""),
        ),
        "unknown_item": lambda: env._(
            "%(item)s is not an item of the annual statistics.",
            item=params.get("item", ""),
        ),
        "bad_count": lambda: env._(
            "Invalid count %(count)s for %(item)s in the annual statistics.",
            item=params.get("item", ""),
            count=params.get("count", ""),
        ),
        # the assessment of the archive staff (考核评估)
        "bad_period_kind": lambda: env._(
            "An assessment covers a month, a quarter or a year."
        ),
        "bad_period_day": lambda: env._("Give the first day of the assessed period."),
        "bad_direction": lambda: env._("A metric is better either higher or lower."),
        "bad_target": lambda: env._(
            "The target of a metric must be a number above zero (%(target)s).",
            target=params.get("target", ""),
        ),
        "negative_value": lambda: env._("A metric cannot measure less than zero."),
        "negative_weight": lambda: env._("A metric's weight cannot be negative."),
        "bad_thresholds": lambda: env._(
            "The grade thresholds must run from 0 to 100, excellent (优秀) at or "
            "above good (良好), good at or above pass (合格): %(excellent)s, "
            "%(good)s, %(passed)s.",
            excellent=params.get("excellent", ""),
            good=params.get("good", ""),
            passed=params.get("passed", ""),
        ),
        "bad_share": lambda: env._(
            "More on time (%(on_time)s) than in all (%(total)s).",
            on_time=params.get("on_time", ""),
            total=params.get("total", ""),
        ),
        # 凡提必审: the settings of the promotion check
        "unknown_grade": lambda: env._(
            "%(grade)s is not a grade of the special audit.",
            grade=params.get("grade", ""),
        ),
        "months_not_positive": lambda: env._(
            "An audit is valid for at least one month for a promotion (%(months)s).",
            months=params.get("months", ""),
        ),
    }
    message = messages.get(error.code)
    if message is None:
        return env._("Invalid archive data (%(code)s).", code=error.code)
    return message()
