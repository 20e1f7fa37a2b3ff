"""Shared ground: the statistics-pages part writes these pages."""

from django.http import Http404


def overview(request):
    raise Http404


def proposal_list(request):
    raise Http404
