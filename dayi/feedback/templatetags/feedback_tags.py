from django import template

from dayi.feedback.selectors import masked_name

register = template.Library()


@register.filter
def masked(user):
    """A review's author as the public sees it."""
    return masked_name(user)
