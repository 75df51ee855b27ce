from django.db import migrations


def load_builtin_templates(apps, schema_editor):
    from postmortems.builtin_templates import BUILTIN_TEMPLATES

    PostmortemTemplate = apps.get_model("postmortems", "PostmortemTemplate")
    TemplateSection = apps.get_model("postmortems", "TemplateSection")
    for slug, (name, description, sections) in BUILTIN_TEMPLATES.items():
        template, _ = PostmortemTemplate.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "built_in": True}
        )
        TemplateSection.objects.filter(template=template).delete()
        TemplateSection.objects.bulk_create(
            [
                TemplateSection(
                    template=template, position=i, key=key, title=title, purpose=purpose, guidance=guidance, body=body
                )
                for i, (key, title, purpose, guidance, body) in enumerate(sections)
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("postmortems", "0001_initial")]
    operations = [migrations.RunPython(load_builtin_templates, migrations.RunPython.noop)]
