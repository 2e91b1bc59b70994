; #[cfg(...)] attributes: the item or statement after one exists only in builds with
; that cfg. `#[cfg(test)] mod tests` holds asserts, not rows.
(attribute_item
  (attribute
    (identifier) @_cfg
    arguments: (token_tree) @predicate)
  (#eq? @_cfg "cfg")) @attribute
