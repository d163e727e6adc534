# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Helpers of the Odoo layer that are not models."""

from .lib_messages import lib_error_message, lib_errors

__all__ = ["lib_error_message", "lib_errors"]
