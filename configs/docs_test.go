package configs

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"
)

// configurationTable is the page whose table documents every variable
// (example.env is checked by TestExampleEnv_documents_every_variable_with_its_default).
const configurationTable = "../docs/configuration.md"

// tableRow matches a row of the table: "| `NAME` | default | …".
var tableRow = regexp.MustCompile("^\\|\\s*`([A-Z][A-Z0-9_]*)`\\s*\\|\\s*([^|]*?)\\s*\\|")

func TestConfigurationPage_documents_every_variable_with_its_default(t *testing.T) {
	t.Parallel()
	f, err := os.Open(configurationTable)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	documented := map[string]string{} // name → default cell
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		m := tableRow.FindStringSubmatch(scanner.Text())
		if m == nil {
			continue
		}
		if _, dup := documented[m[1]]; dup {
			t.Errorf("%s: %s has two rows", configurationTable, m[1])
		}
		documented[m[1]] = m[2]
	}
	if err := scanner.Err(); err != nil {
		t.Fatal(err)
	}

	for _, v := range catalog() {
		cell, ok := documented[v.name]
		switch {
		case !ok:
			t.Errorf("%s has no row for %s, which Load reads", configurationTable, v.name)
		case v.def != "" && cell != "`"+v.def+"`":
			t.Errorf("%s: the default of %s is %s, want `%s`", configurationTable, v.name, cell, v.def)
		case v.def == "" && !strings.HasPrefix(cell, "empty"):
			t.Errorf("%s: %s has no literal default, so its default cell should start with \"empty\", not %q",
				configurationTable, v.name, cell)
		}
		delete(documented, v.name)
	}
	for name := range documented {
		t.Errorf("%s has a row for %s, which Load does not read", configurationTable, name)
	}
}
