//! The DOM writes the views make after their markup is built, each skipped when the value has
//! not changed: a card is patched in place on every refresh, so only what changed touches the
//! page (and a screen reader hears only what changed). Server strings only ever become text.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Comment, Element, HtmlTemplateElement};

/// The element of a card matching `selector` (the views' own markup, so it exists; a detached
/// stand-in otherwise, so a broken selector shows as a missing value, never as a crash).
#[inline(never)] // called from many places: one copy, not one per call
pub fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).ok().flatten().unwrap_or_else(|| {
        root.owner_document().and_then(|d| d.create_element("span").ok()).unwrap_or_else(|| root.clone())
    })
}

/// An element whose text the card sets.
pub struct Text {
    element: Element,
    last: Option<String>,
    /// The text is also the element's `title`: where a layout cuts it, it can still be read.
    titled: bool,
}

impl Text {
    /// The element matching `selector` in `root`.
    #[inline(never)] // called from many places: one copy, not one per call
    pub fn find(root: &Element, selector: &str) -> Self {
        Self::of(find(root, selector))
    }

    /// `element` itself.
    pub fn of(element: Element) -> Self {
        Text { element, last: None, titled: false }
    }

    /// The same, its text also its `title` (for text a layout may cut to a line or two).
    pub fn titled(self) -> Self {
        Text { titled: true, ..self }
    }

    /// Sets the text, unless it is already that.
    #[inline(never)] // called from many places: one copy, not one per call
    pub fn set(&mut self, text: &str) {
        if self.last.as_deref() != Some(text) {
            self.element.set_text_content(Some(text));
            if self.titled {
                let _ = self.element.set_attribute("title", text);
            }
            self.last = Some(text.to_owned());
        }
    }

    /// The element.
    pub fn element(&self) -> &Element {
        &self.element
    }
}

/// One attribute of an element.
pub struct Attr {
    element: Element,
    name: &'static str,
    last: Option<Option<String>>,
}

impl Attr {
    /// Attribute `name` of `element`.
    pub fn of(element: &Element, name: &'static str) -> Self {
        Attr { element: element.clone(), name, last: None }
    }

    /// Sets the attribute (`None` removes it), unless it already has that value; whether it
    /// changed.
    #[inline(never)] // called from many places: one copy, not one per call
    pub fn set(&mut self, value: Option<&str>) -> bool {
        if self.last.as_ref().map(Option::as_deref) == Some(value) {
            return false;
        }
        let _ = match value {
            Some(value) => self.element.set_attribute(self.name, value),
            None => self.element.remove_attribute(self.name),
        };
        self.last = Some(value.map(str::to_owned));
        true
    }
}

/// An element that is in the document or not (hooks such as `[role="alert"]` must be absent,
/// not hidden), kept at the place its markup put it.
pub struct Presence {
    element: Element,
    anchor: Option<Comment>,
    shown: bool,
}

impl Presence {
    /// The element matching `selector` in `root`, present until told otherwise.
    #[inline(never)] // called from many places: one copy, not one per call
    pub fn find(root: &Element, selector: &str) -> Self {
        Self::of(find(root, selector))
    }

    /// `element`, present until told otherwise.
    #[inline(never)] // called from many places: one copy, not one per call
    pub fn of(element: Element) -> Self {
        // A comment marks the place, so the element can come back there.
        let anchor = element.owner_document().map(|d| d.create_comment(""));
        if let (Some(anchor), Some(parent)) = (&anchor, element.parent_node()) {
            let _ = parent.insert_before(anchor, Some(&element));
        }
        Presence { element, anchor, shown: true }
    }

    /// Puts the element in the document or takes it out.
    #[inline(never)] // called from many places: one copy, not one per call
    pub fn show(&mut self, shown: bool) {
        if shown == self.shown {
            return;
        }
        self.shown = shown;
        if !shown {
            self.element.remove();
        } else if let Some(anchor) = &self.anchor {
            let _ = anchor.parent_node().map(|p| p.insert_before(&self.element, Some(anchor)));
        }
    }

    /// The element (also while it is out of the document).
    pub fn element(&self) -> &Element {
        &self.element
    }
}

/// A list whose items are cloned from the `<template>` inside it, one per row shown, each with
/// its live parts `T`: items are added and removed at the end, never rebuilt.
pub struct Items<T> {
    list: Element,
    template: Option<HtmlTemplateElement>,
    items: Vec<(Element, T)>,
}

impl<T> Items<T> {
    /// The list matching `selector` in `root`.
    pub fn find(root: &Element, selector: &str) -> Self {
        let list = find(root, selector);
        let template = list.query_selector("template").ok().flatten().and_then(|t| t.dyn_into().ok());
        Items { list, template, items: Vec::new() }
    }

    /// Exactly `n` items (new ones' parts made by `parts` from their element); their parts.
    pub fn fit(&mut self, n: usize, parts: impl Fn(&Element) -> T) -> impl Iterator<Item = &mut T> {
        while self.items.len() > n {
            if let Some((gone, _)) = self.items.pop() {
                gone.remove();
            }
        }
        while self.items.len() < n {
            let Some(item) = self.template.as_ref().and_then(|t| t.content().first_element_child()?.clone_node_with_deep(true).ok()?.dyn_into::<Element>().ok()) else {
                break;
            };
            let _ = self.list.append_child(&item);
            let made = parts(&item);
            self.items.push((item, made));
        }
        self.items.iter_mut().map(|(_, parts)| parts)
    }

    /// Every item's parts.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.items.iter_mut().map(|(_, parts)| parts)
    }
}

/// A listener on an element, removed when dropped (with the card's DOM state).
pub struct Listener {
    element: Element,
    kind: &'static str,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    /// Calls `callback` on every `kind` event at `element`.
    pub fn on(element: &Element, kind: &'static str, mut callback: impl FnMut() + 'static) -> Self {
        Self::with_event(element, kind, move |_| callback())
    }

    /// Calls `callback` with every `kind` event at `element`.
    pub fn with_event(element: &Element, kind: &'static str, callback: impl FnMut(web_sys::Event) + 'static) -> Self {
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(callback);
        let _ = element.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
        Listener { element: element.clone(), kind, callback }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.element.remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}
