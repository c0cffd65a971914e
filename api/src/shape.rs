//! The shape of what the card reads of an answer: the proxy passes on that much of each answer
//! and nothing else (it applies the shape with its JSON library; this crate only describes it).

/// A part of an answer the card reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A string, number, flag or null, kept as it is; an object or list in its place is dropped.
    Scalar,
    /// An object of the fields of a list of [`crate::fields`], each a scalar unless named beside
    /// it with a shape of its own; nothing else. Some servers send an object as the JSON text of
    /// one: it is read as that object.
    Object(&'static str, &'static [(&'static str, Shape)]),
    /// A list of items of this shape.
    Items(&'static Shape),
}

impl Shape {
    /// The shape of field `key` (as servers spell it, [`crate::is_field`]) of an object of this
    /// shape; `None` when the card does not read it.
    pub fn field(&self, key: &str) -> Option<Shape> {
        let Shape::Object(names, nested) = self else { return None };
        let name = names.split(',').find(|name| crate::is_field(key, name))?;
        Some(nested.iter().find(|(n, _)| *n == name).map_or(Shape::Scalar, |(_, shape)| *shape))
    }
}
