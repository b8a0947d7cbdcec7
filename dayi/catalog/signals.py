from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from dayi.accounts.models import Region

from . import choices
from .models import Category, Theme
from .services import CATEGORIES_CACHE_KEY


@receiver([post_save, post_delete], sender=Category)
def forget_categories(**kwargs):
    cache.delete(CATEGORIES_CACHE_KEY)
    choices.forget("categories")


@receiver([post_save, post_delete], sender=Theme)
def forget_themes(**kwargs):
    choices.forget("themes")


@receiver([post_save, post_delete], sender=Region)
def forget_regions(**kwargs):
    choices.forget("regions")
