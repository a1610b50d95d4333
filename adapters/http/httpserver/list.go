package httpserver

// Responses converts every item of a list with to; an empty or nil list
// becomes [] (never JSON null).
func Responses[T, R any](items []T, to func(T) R) []R {
	out := make([]R, 0, len(items))
	for _, it := range items {
		out = append(out, to(it))
	}
	return out
}

// Pagination is the page a list envelope holds and how many pages there are.
type Pagination struct {
	Page  int   `json:"page"`
	Limit int   `json:"limit"`
	Total int64 `json:"total"`
	Pages int64 `json:"pages"`
}

// ListEnvelope is the list envelope {status, message, data, pagination}.
type ListEnvelope[T any] struct {
	Status     string     `json:"status"`
	Message    string     `json:"message"`
	Data       []T        `json:"data"`
	Pagination Pagination `json:"pagination"`
}

// NewListEnvelope is a successful list page: data (nil becomes []) of total
// items, page numbers from 1, limit items to a page (at least 1).
func NewListEnvelope[T any](msg string, data []T, page, limit int, total int64) ListEnvelope[T] {
	if data == nil {
		data = []T{}
	}
	return ListEnvelope[T]{Status: "success", Message: msg, Data: data, Pagination: Pagination{
		Page: page, Limit: limit, Total: total, Pages: (total + int64(limit) - 1) / int64(limit),
	}}
}
