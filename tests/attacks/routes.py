"""Every URL of the portal, read from the URLconf, so that an attack
enumerates them all and a new URL is attacked the day it is added."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def routes(resolver=None, prefix=""):
    """(route, pattern) for every URL; regular-expression routes (the
    admin's catch-all and app index) have no parameters to fill and are
    skipped."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            # A regular expression may sit under a path prefix (the API's
            # router under "api/v1/"), so "^" is looked for anywhere.
            if not ("^" in route or "(?P" in route):
                yield route, pattern


def parameters(route: str) -> list[str]:
    return [name for _converter, name in PARAMETER.findall(route)]


def fill(route: str, value, **values) -> str:
    """The route as a URL: each parameter given in `values` by name, every
    other one `value` (a photo's size is "thumb" unless given)."""

    def one(match):
        name = match[2]
        if name in values:
            return str(values[name])
        return "thumb" if name == "size" else str(value)

    return "/" + PARAMETER.sub(one, route)


def routes_with_ids():
    """The routes that take an object's id."""
    return [route for route, _pattern in routes() if parameters(route)]
