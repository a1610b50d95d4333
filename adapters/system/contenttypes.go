package system

import (
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// ContentTypes decides a stored file's type by sniffing its first bytes.
type ContentTypes struct{}

var _ datasetport.ContentTypes = ContentTypes{}

// csvType is what a CSV file is served as.
const csvType = "text/csv; charset=utf-8"

// Detect is what the first bytes are (http.DetectContentType, the WHATWG
// sniffing algorithm), never what the client declares when the content says
// otherwise. Sniffing cannot tell CSV from other text, so a UTF-8 text file
// whose name ends in .csv, or that the client declares as text/csv, is
// text/csv.
func (ContentTypes) Detect(head []byte, filename, declared string) string {
	sniffed := http.DetectContentType(head)
	if sniffed != "text/plain; charset=utf-8" {
		return sniffed
	}
	mt, _, _ := mime.ParseMediaType(declared)
	if strings.EqualFold(path.Ext(strings.ReplaceAll(filename, `\`, "/")), ".csv") || mt == "text/csv" {
		return csvType
	}
	return sniffed
}
