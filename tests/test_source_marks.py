"""Front-matter positions are kept as a table of marks, not the YAML node tree:
every lookup answers what a walk through the node tree answers."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.source import parse

_KEYS = st.sampled_from(["a", "b", "text", "1", "channels"])
_SCALARS = st.sampled_from(["x", "long text\nwith a line", 3, True, None, "a: b", "2026-01-01", ""])
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=4)), max_leaves=12)


def _node_walk(root, keys):
    """The reference: (key node, value node) reached through a YAML node tree."""
    node, key_node = root, None
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(key):
                    key_node, node = k, v
                    break
            else:
                return key_node, None
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            return key_node, None
    return key_node, node


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, path + (key,))
        yield path + ("missing",)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, path + (index,))
        yield path + (len(value),)


@settings(max_examples=150, deadline=None)
@given(_VALUES, _VALUES, st.sampled_from([None, "'", '"']), st.sampled_from([False, True, None]))
def test_every_position_is_the_node_trees(channels, other, style, flow):
    front = yaml.dump({"channels": channels, "t": other}, default_style=style, default_flow_style=flow)
    doc, problems = parse("content/posts/p.md", f"---\n{front}---\nbody\n")
    assert problems == []
    root = yaml.compose(front)
    for path in _paths(doc.meta):
        key_node, node = _node_walk(root, path)
        mark = node or key_node
        expected = (2 + mark.start_mark.line, mark.start_mark.column + 1) if mark else (1, 1)
        assert doc.line_of(*path) == expected, path
        if key_node is not None and node is not None:
            assert doc.key_position(*path) == (2 + key_node.start_mark.line,
                                               key_node.start_mark.column + 1), path


def test_an_alias_and_a_repeated_key_point_where_the_tree_does():
    text = ("---\nchannels:\n  mastodon: &m\n    text: hi\n  bluesky: *m\n  mastodon: again\n"
            "title: t\n---\nbody\n")
    doc, _ = parse("content/posts/p.md", text)
    assert doc.line_of("channels", "bluesky", "text") == (4, 11)     # the anchored value
    assert doc.key_position("channels", "bluesky") == (5, 3)         # its own key
    assert doc.line_of("channels", "mastodon", "text") == (4, 11)    # the first of two keys
    assert [name for name, _ in doc.children("channels")] == ["mastodon", "bluesky", "mastodon"]
    assert doc.body == "body\n" and doc.body_position(2) == (9, 3)
