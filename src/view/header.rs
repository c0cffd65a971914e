//! The card's top row (header.html, header.css): the task's name and id, under the host's
//! `title` slot, the host's `actions`, and the refresh button named for its task.

use super::dom::{Attr, Listener, Presence, Text, find};
use crate::model::{Locale, Sentence, fill};
use web_sys::Element;

/// The top row's live parts.
pub struct HeaderDom {
    name: Presence,
    name_text: Text,
    id: Text,
    id_title: Attr,
    refresh_label: Attr,
    refresh_title: Attr,
    _refresh: Listener,
}

impl HeaderDom {
    /// The top row of the card at `root`; `on_refresh` runs when its button is pressed.
    pub fn find(root: &Element, on_refresh: impl FnMut() + 'static) -> Self {
        let id = Text::find(root, "[data-field=\"project-id\"]");
        let refresh = find(root, ".oms-refresh");
        HeaderDom {
            name: Presence::find(root, "[data-field=\"task-name\"]"),
            name_text: Text::find(root, "[data-field=\"task-name\"]"),
            id_title: Attr::of(id.element(), "title"),
            id,
            refresh_label: Attr::of(&refresh, "aria-label"),
            refresh_title: Attr::of(&refresh, "title"),
            _refresh: Listener::on(&refresh, "click", on_refresh),
        }
    }

    /// Shows task `project_id`, named `name` when OMS said, in `locale`; `task` is how its
    /// controls name it.
    pub fn patch(&mut self, project_id: &str, name: Option<&str>, task: &str, locale: Locale) {
        self.name.show(name.is_some());
        self.name_text.set(name.unwrap_or_default());
        self.id.set(project_id);
        self.id_title.set(Some(project_id));
        // Named for its task: a page of cards has as many refresh buttons, each its own.
        let label = fill(locale.sentence(Sentence::RefreshTask), &[("task", task)]);
        self.refresh_label.set(Some(&label));
        self.refresh_title.set(Some(&label));
    }
}
