"""``{% quick_form form %}``: a workspace form as crispy-forms' Bootstrap 5 pack lays it out, in
Python.

The take-minutes page shows several forms for every agenda item (about 30 on a page), and
crispy-forms' templates took most of the page's time. This writes the same markup (labels, the
required "*", help text, errors tied to their field by ``aria-describedby``) from the form's
own crispy layout, so the layout keeps one home (``form.helper``). It knows the layout pieces
those forms use: field names, ``Field`` with a CSS class, and ``Row`` of ``Column``.
"""

from crispy_forms.layout import Column, Field, Row
from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def quick_form(form):
    return mark_safe("".join(_piece(form, piece) for piece in form.helper.layout.fields))  # noqa: S308 - built by format_html


def _piece(form, piece) -> str:
    if isinstance(piece, str):
        return _field(form[piece]) if piece in form.fields else ""
    if isinstance(piece, Row):
        return format_html(
            '<div class="row">{}</div>',
            mark_safe("".join(_piece(form, column) for column in piece.fields)),  # noqa: S308
        )
    if isinstance(piece, Column):
        return format_html(
            '<div class="{}">{}</div>',
            piece.css_class or "col-md",
            mark_safe("".join(_piece(form, name) for name in piece.fields)),  # noqa: S308
        )
    if isinstance(piece, Field):
        (name,) = piece.fields
        return _field(form[name], piece.attrs.get("class", ""))
    raise TypeError(f"quick_form cannot lay out {piece!r}; use {{% crispy %}}.")


# Widgets whose template is Django's plain <input>: written here, without a template.
_PLAIN_INPUTS = {
    f"django/forms/widgets/{kind}.html"
    for kind in ("text", "date", "email", "number", "url", "password", "time", "search")
}


@register.simple_tag
def quick_widget(field: forms.BoundField):
    """``{{ field }}`` for a plain input or a single select, written without templates (the
    search page's filters: a template per option cost more than the search)."""
    return _widget(field, {})


def _widget(field: forms.BoundField, attrs: dict) -> str:
    """``field.as_widget(attrs=attrs)``: what Django's input.html writes for a plain input,
    and select.html for a single select without groups."""
    widget = field.field.widget
    select = type(widget) is forms.Select
    if (widget.template_name not in _PLAIN_INPUTS and not select) or field.field.localize:
        return field.as_widget(attrs=attrs)
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    if select:
        return _select(field, context, attrs)
    value = context["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        context["type"],
        context["name"],
        format_html(' value="{}"', value) if value is not None else "",
        flatatt(context["attrs"]),
    )


def _select(field: forms.BoundField, context: dict, attrs: dict) -> str:
    groups = context["optgroups"]
    if any(name for name, _, _ in groups):
        return field.as_widget(attrs=attrs)
    return format_html(
        '<select name="{}"{}>{}</select>',
        context["name"],
        flatatt(context["attrs"]),
        format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _, options, _ in groups
                for option in options
            ),
        ),
    )


def _field(field: forms.BoundField, css_class: str = "") -> str:
    if field.is_hidden:
        return str(field)
    widget = field.field.widget
    checkbox = isinstance(widget, forms.CheckboxInput)
    if checkbox:
        control = "form-check-input"
    elif isinstance(widget, forms.Select):
        control = "form-select"
    else:
        control = "form-control"
    classes = [css_class, type(widget).__name__.lower(), control]
    if field.errors:
        classes.append("is-invalid")
    help_id, error_id = f"{field.auto_id}_helptext", f"{field.auto_id}_error"
    described = [i for i, shown in ((help_id, field.help_text), (error_id, field.errors)) if shown]
    attrs = {"class": " ".join(c for c in classes if c)}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    widget_html = _widget(field, attrs)
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}" class="invalid-feedback">{}</div>',
            error_id,
            format_html_join(
                "",
                '<span id="error_{}_{}"><strong>{}</strong></span>',
                ((n, field.auto_id, e) for n, e in enumerate(field.errors, start=1)),
            ),
        )
    help_text = (
        # Help text is the form's own, not typed by users: HTML, as crispy-forms takes it.
        format_html('<div id="{}" class="form-text">{}</div>', help_id, mark_safe(field.help_text))  # noqa: S308
        if field.help_text
        else ""
    )
    required = field.field.required
    star = mark_safe('<span class="asteriskField">*</span>') if required else ""
    if checkbox:
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}'
            '<label for="{}" class="form-check-label{}">{}{}</label>{}{}</div></div>',
            field.auto_id,
            widget_html,
            field.id_for_label,
            " requiredField" if required else "",
            field.label,
            star,
            errors,
            help_text,
        )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}{}</label>'
        "{}{}{}</div>",
        field.auto_id,
        field.id_for_label,
        " requiredField" if required else "",
        field.label,
        star,
        widget_html,
        errors,
        help_text,
    )
