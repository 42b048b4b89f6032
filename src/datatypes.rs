//! Sets of data types, indexed by the taxonomy: what a member holds, what a change touches,
//! what leaves in an export.
//!
//! A set is a bitset with one bit per taxonomy data type (sorted by id), as large as the
//! taxonomy: no limit on how many data types a taxonomy or a case names.
use crate::taxonomy::Taxonomy;

/// A set of data types: bit `i` is the taxonomy's `i`-th data type (sorted by id).
pub type DataTypes = fixedbitset::FixedBitSet;

/// The taxonomy's data type ids in index order, to make and read [`DataTypes`] sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeIndex {
    ids: Vec<String>,
}

impl TypeIndex {
    /// The index of a taxonomy.
    pub fn new(taxonomy: &Taxonomy) -> TypeIndex {
        let mut ids: Vec<String> = taxonomy.data_types().iter().map(|d| d.id.clone()).collect();
        ids.sort();
        TypeIndex { ids }
    }

    /// The index of a data type id, if the taxonomy has it.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.ids.binary_search_by(|t| t.as_str().cmp(id)).ok()
    }

    /// An empty set.
    pub fn none(&self) -> DataTypes {
        DataTypes::with_capacity(self.ids.len())
    }

    /// The set of these ids (unknown ids are left out).
    pub fn set<S: AsRef<str>>(&self, ids: &[S]) -> DataTypes {
        let mut set = self.none();
        for i in ids.iter().filter_map(|id| self.index(id.as_ref())) {
            set.insert(i);
        }
        set
    }
}
