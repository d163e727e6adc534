# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The page viewer for officers and requesters, and its refusals: a plain page
with a sentence naming what to do, never the server's bare error page."""

import datetime

from odoo.tests import tagged

from .test_audit_log import LOG_MODEL, ViewerCase


@tagged("post_install", "-at_install")
class TestOfficerViewer(ViewerCase):
    def test_viewer_names_the_material_and_leads_back(self):
        self.login(self.officer_b)
        status, body = self.get(
            f"/cadre_archive/material/{self.two_pages.id}/view?page=2"
        )
        self.assertEqual(status, 200)
        html = body.decode()
        title = f"<title>{self.two_pages.display_name}, page 2 of 2</title>"
        self.assertIn(title, html)
        self.assertIn(f"/cadre_archive/scan/{self.two_page_scan.id}/page/2", html)
        self.assertNotIn(f"/cadre_archive/scan/{self.two_page_scan.id}/page/1", html)
        self.assertIn(f'href="/odoo/cadre.archive.material/{self.two_pages.id}"', html)
        self.assertIn(f'href="/odoo/cadre.archive.dossier/{self.dossier_b.id}"', html)
        self.assertIn(f"/cadre_archive/scan/{self.two_page_scan.id}/download", html)
        self.assertIn("Download Original", html)
        # the viewer page itself serves no page image: nothing logged
        self.assertFalse(self.logs(self.officer_b))

    def test_requester_viewer_leads_back_to_the_open_materials(self):
        self.approved_request()
        self.login(self.requester)
        status, body = self.get(f"/cadre_archive/material/{self.two_pages.id}/view")
        self.assertEqual(status, 200)
        html = body.decode()
        self.assertIn(
            "/odoo/action-cadre_archive.action_cadre_archive_material_consult", html
        )
        self.assertNotIn("/odoo/cadre.archive.material/", html)
        self.assertNotIn("/download", html)

    def test_view_pages_opens_the_viewer_here(self):
        action = self.two_pages.with_user(self.officer_b).action_open_viewer()
        self.assertEqual(
            (action["url"], action["target"]),
            (f"/cadre_archive/material/{self.two_pages.id}/view", "self"),
        )


@tagged("post_install", "-at_install")
class TestViewerRefusal(ViewerCase):
    """Refusals are a plain page with a sentence, never the bare 404 page."""

    NOTHING = "There is nothing to show here"

    def assert_refused(self, url, status, sentence):
        got, body = self.get(url)
        html = body.decode()
        self.assertEqual(got, status, url)
        self.assertIn(sentence, html)
        self.assertIn("o_cadre_archive_refusal", html)
        self.assertNotIn("The requested URL was not found", html)
        self.assertNotIn("<title>404 Not Found</title>", html)
        return html

    def test_not_open_and_missing_look_alike(self):
        viewer = "/cadre_archive/material/%s/view"
        self.login(self.requester)
        self.assert_refused(viewer % self.two_pages.id, 404, self.NOTHING)
        self.assert_refused(viewer % 999999, 404, self.NOTHING)
        self.assert_refused(
            f"/cadre_archive/scan/{self.two_page_scan.id}/page/1", 404, self.NOTHING
        )
        self.login(self.officer_a)
        self.assert_refused(viewer % self.two_pages.id, 404, self.NOTHING)
        self.assertFalse(self.env[LOG_MODEL].search([]))

    def test_outside_the_period_says_so(self):
        request = self.approved_request()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE cadre_archive_request SET access_end = now() at time zone 'utc'"
            " - interval '1 minute' WHERE id = %s",
            [request.id],
        )
        self.login(self.requester)
        html = self.assert_refused(
            f"/cadre_archive/material/{self.two_pages.id}/view",
            403,
            "no longer opens this material",
        )
        self.assertIn(request.name, html)
        self.assertIn("File a new consultation request", html)
        # a material outside the request's scope says nothing of itself
        self.assert_refused(
            f"/cadre_archive/material/{self.material_a.id}/view", 404, self.NOTHING
        )

    def test_not_yet_begun_says_when(self):
        request = self.approved_request(
            date_start=self.today + datetime.timedelta(days=2),
            date_end=self.today + datetime.timedelta(days=3),
        )
        self.login(self.requester)
        html = self.assert_refused(
            f"/cadre_archive/scan/{self.two_page_scan.id}/page/1",
            403,
            "opens this material on",
        )
        self.assertIn(request.name, html)

    def test_download_refused_names_what_to_do(self):
        self.approved_request()
        self.login(self.requester)
        self.assert_refused(
            f"/cadre_archive/scan/{self.two_page_scan.id}/download",
            403,
            "Read its pages in the viewer",
        )
        self.assert_refused(
            f"/cadre_archive/material/{self.two_pages.id}/print",
            403,
            "Read its pages in the viewer",
        )
