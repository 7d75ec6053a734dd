"""Create the Secretariat group: the people who edit, approve and publish minutes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITABLE = {
    "members": ["organisation", "person", "committee", "membership"],
    "meetings": ["venue", "meeting", "attendance", "agendaitem"],
    "minutes": ["minutes", "itemminute", "decision", "action"],
}
READ_ONLY = {"minutes": ["minutesversion", "minutesevent"]}


def create_secretariat_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [("minutes", "manage_minutes")]
    for app_label, models in EDITABLE.items():
        for model in models:
            codenames += [(app_label, f"{verb}_{model}") for verb in ("view", "add", "change", "delete")]
    for app_label, models in READ_ONLY.items():
        codenames += [(app_label, f"view_{model}") for model in models]

    group, _ = Group.objects.get_or_create(name="Secretariat")
    for app_label, codename in codenames:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_secretariat_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Secretariat").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0001_initial"),
        ("meetings", "0002_initial"),
        ("minutes", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_secretariat_group, remove_secretariat_group)]
