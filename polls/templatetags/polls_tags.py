"""Template tags of the poll pages."""

from django import template
from django.template.loader import get_template

register = template.Library()


@register.simple_tag(takes_context=True)
def include_part(context, template_name: str):
    """Render `template_name` with the page's context when it exists, else
    nothing. The poll page has blocks that other parts of the polls build
    (the discussion, the results summary, the targeting box); until one
    lands its place stays empty rather than failing the page."""
    try:
        part = get_template(template_name)
    except template.TemplateDoesNotExist:
        return ""
    return part.render(context.flatten(), context.get("request"))
