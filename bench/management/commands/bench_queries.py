import json
import re

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings


class Command(BaseCommand):
    help = (
        "Count the queries each benchmark page makes, through Django's test client "
        "on the real database (bench/harness.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pages", required=True, help="The harness's pages JSON.")
        parser.add_argument("--out", required=True)

    def handle(self, *args, pages, out, **options):
        with open(pages, encoding="utf-8") as handle:
            spec = json.load(handle)
        result = {}
        for page in spec["pages"]:
            client = Client(HTTP_HOST="127.0.0.1")
            key = spec["sessions"].get(page["who"])
            if key:
                client.cookies[settings.SESSION_COOKIE_NAME] = key
            counts = []
            for _ in range(2):  # cold, then as a reader after the first sees it
                # The view's own queries: a page-cache hit makes none.
                with override_settings(PAGE_CACHE_SECONDS=0):
                    with CaptureQueriesContext(connection) as queries:
                        response = client.get(page["path"])
                counts.append(len(queries))
            result[page["name"]] = {
                "status": response.status_code,
                "queries_first": counts[0],
                "queries": counts[1],
                # Proposals the page links to: a search that finds nothing has none.
                "results_linked": len(
                    set(re.findall(rb'href="/proposals/(\d+)/"', response.content))
                ),
            }
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2)
