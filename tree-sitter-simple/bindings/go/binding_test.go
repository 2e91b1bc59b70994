package tree_sitter_simple_test

import (
	"testing"

	tree_sitter "github.com/smacker/go-tree-sitter"
	"github.com/tree-sitter/tree-sitter-simple"
)

func TestCanLoadGrammar(t *testing.T) {
	language := tree_sitter.NewLanguage(tree_sitter_simple.Language())
	if language == nil {
		t.Errorf("Error loading Simple grammar")
	}
}
