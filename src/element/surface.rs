//! The public surface of `<oms-progress-card>`, generated from `src/element/surface.json` (the
//! one table of attributes, events, hooks, parts and CSS properties): the tag, and the
//! attributes and events as enums, so the element observes and names exactly what it lists.

include!(concat!(env!("OUT_DIR"), "/surface.rs"));

impl Attribute {
    /// The attribute of a name, matched exactly.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The attribute of a property (`mount()` option) name, matched exactly.
    pub fn from_property(property: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.property() == property)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_properties_are_kebab_and_camel_case_of_each_other() {
        for a in Attribute::ALL {
            let camel: String = a.name().split('-').enumerate().map(|(i, w)| if i == 0 { w.to_owned() } else { w[..1].to_uppercase() + &w[1..] }).collect();
            assert_eq!(camel, a.property());
            assert_eq!(Attribute::from_name(a.name()), Some(a));
            assert_eq!(Attribute::from_property(a.property()), Some(a));
        }
        assert_eq!(TAG, "oms-progress-card");
        assert!(Event::ALL.iter().all(|e| e.name().starts_with("oms-")));
    }
}
