# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import threading
import time

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestConcurrentNumbering(BaseCase):
    """Two transactions filing in the same dossier never share a 顺序号.

    This test needs real concurrent transactions, so it commits its own data in
    separate cursors and removes it afterwards.
    """

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            employee = env["hr.employee"].create({"name": "Concurrent Cadre"})
            dossier = env["cadre.archive.dossier"].create({"employee_id": employee.id})
            self.employee_id, self.dossier_id = employee.id, dossier.id
            self.category_id = env.ref("cadre_archive.category_1").id
        self.addCleanup(self._remove_data)

    def _remove_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            # filed materials are never deleted by the addon: the test's own
            # data goes by SQL
            cr.execute(
                "DELETE FROM cadre_archive_material WHERE dossier_id = %s",
                [self.dossier_id],
            )
            env["cadre.archive.dossier"].browse(self.dossier_id).unlink()
            env["hr.employee"].browse(self.employee_id).unlink()

    def _create_material(self, env, title):
        """Create and file a material: its number is given at filing."""
        material = env["cadre.archive.material"].create(
            {
                "dossier_id": self.dossier_id,
                "category_id": self.category_id,
                "name": title,
                "date": "2001-01-01",
                "page_count": 1,
            }
        )
        material.action_file()
        return material

    @mute_logger("odoo.service.model", "odoo.sql_db")
    def test_two_concurrent_creations(self):
        # Environments are made here: the test runner holds the registry lock,
        # so a thread cannot look the registry up itself.
        cr_first, cr_second = self.registry.cursor(), self.registry.cursor()
        self.addCleanup(cr_first.close)
        self.addCleanup(cr_second.close)
        context = {"tracking_disable": True, "mail_notrack": True}
        env_first = api.Environment(cr_first, SUPERUSER_ID, context)
        env_second = api.Environment(cr_second, SUPERUSER_ID, context)
        first_holds_lock = threading.Event()
        attempts = []
        results = {}
        errors = []

        def first():
            try:
                material = self._create_material(env_first, "first")
                env_first.cr.flush()
                results["first"] = material.sequence_number
                first_holds_lock.set()
                time.sleep(1.0)  # the second transaction now waits on us
                env_first.cr.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
                first_holds_lock.set()

        def second():
            first_holds_lock.wait(10)
            # What odoo.service.model.retrying does for every RPC call, minus its
            # registry look-up (see above): roll back and start again.
            for _attempt in range(3):
                try:
                    material = self._create_material(env_second, "second")
                    env_second.cr.flush()
                    results["second"] = material.sequence_number
                    env_second.cr.commit()
                    return
                except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
                    attempts.append(type(error).__name__)
                    env_second.cr.rollback()
                    env_second.invalidate_all()
                except Exception as error:  # noqa: BLE001 - reported below
                    errors.append(error)
                    return

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertFalse(errors)
        self.assertEqual(results, {"first": 1, "second": 2})
        # the database made the second transaction start again from a fresh
        # snapshot instead of letting it reuse number 1
        self.assertEqual(attempts, ["SerializationFailure"])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            dossier = env["cadre.archive.dossier"].browse(self.dossier_id)
            self.assertEqual(
                sorted(dossier.material_ids.mapped("code")), ["1-1", "1-2"]
            )
