import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0010_copy_each_attendances_committee'),
    ]

    operations = [
        migrations.AlterField(
            model_name='attendance',
            name='committee',
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.committee'),
        ),
        migrations.AddIndex(
            model_name='attendance',
            index=models.Index(fields=['committee', 'person'], name='attendance_committee_person'),
        ),
        migrations.AddIndex(
            model_name='attendance',
            index=models.Index(fields=['committee', 'organisation'], name='attendance_committee_org'),
        ),
    ]
