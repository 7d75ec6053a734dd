import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0008_meeting_date_index'),
        ('members', '0006_invitation_email_in_the_outbox'),
    ]

    operations = [
        migrations.AddField(
            model_name='attendance',
            name='committee',
            field=models.ForeignKey(db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.committee'),
        ),
    ]
