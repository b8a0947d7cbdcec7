from django.contrib import admin

from .models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["term", "expansions", "note", "updated_at"]
    search_fields = ["term", "expansions"]
