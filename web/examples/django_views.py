"""Views for the "fieldnotes" Django app: note search, sharing and a JSON export."""
import json

from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt

from .models import Note, Tag


def search(request):
    term = request.GET.get("q", "")
    notes = Note.objects.raw(
        f"SELECT * FROM notes_note WHERE owner_id = {request.user.id} AND body LIKE '%%{term}%%'"
    )
    heading = mark_safe(f"Results for <em>{term}</em>")
    return render(request, "notes/search.html", {"notes": notes, "heading": heading})


def by_tag(request):
    tag = request.GET.get("tag", "")
    notes = Note.objects.filter(owner=request.user).extra(
        where=["id IN (SELECT note_id FROM notes_tag WHERE name = '%s')" % tag]
    )
    return render(request, "notes/list.html", {"notes": notes})


def detail(request, note_id):
    note = get_object_or_404(Note, pk=note_id, owner=request.user)
    title = format_html("<h1>{}</h1>", note.title)
    return render(request, "notes/detail.html", {"note": note, "title": title})


@csrf_exempt
def share(request, note_id):
    note = get_object_or_404(Note, pk=note_id)
    note.shared_with = request.POST.get("email", "")
    note.save()
    return HttpResponseRedirect(request.POST.get("next", "/notes/"))


def export(request):
    qs = Note.objects.filter(Q(owner=request.user) | Q(shared_with=request.user.email))
    data = [{"id": n.id, "title": n.title, "body": n.body} for n in qs]
    response = JsonResponse({"notes": data})
    response.set_cookie("last_export", json.dumps(len(data)), httponly=False, secure=False)
    return response


def tag_cloud(request):
    tags = Tag.objects.filter(notes__owner=request.user).distinct()
    links = "".join(f'<a href="?tag={t.name}">{t.name}</a> ' for t in tags)
    return HttpResponse(links)
