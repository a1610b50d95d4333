package apitest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"

	"github.com/civicdatatrust/civictrust/adapters/http/apidoc"
)

var (
	validatorOnce sync.Once
	docValidator  validator.Validator
	docPaths      *document // to name the operation of a request
	validatorErr  error
	validatorMu   sync.Mutex // the validator keeps caches; serialize for safety
)

func loadValidator() (validator.Validator, error) {
	validatorOnce.Do(func() {
		doc, err := libopenapi.NewDocument(apidoc.Document())
		if err != nil {
			validatorErr = err
			return
		}
		if docPaths, err = loadDocument(apidoc.Document()); err != nil {
			validatorErr = err
			return
		}
		v, errs := validator.NewValidator(doc, config.WithFormatAssertions(), config.WithStandardBodyDecoders())
		if len(errs) > 0 {
			validatorErr = fmt.Errorf("build validator: %v", errs)
			return
		}
		docValidator = v
	})
	return docValidator, validatorErr
}

// ValidateResponse checks one response against the OpenAPI document and returns
// the problems found. The path is tried as sent and with its trailing slash
// toggled, since the seed documents collection paths with a trailing slash.
// A response that matches is recorded for the checks of Run.
func ValidateResponse(method, path string, r *Response) []string {
	v, err := loadValidator()
	if err != nil {
		return []string{err.Error()}
	}
	validatorMu.Lock()
	defer validatorMu.Unlock()
	var last []string
	for _, p := range pathVariants(path) {
		req, _ := http.NewRequest(method, "http://service"+p, nil)
		resp := &http.Response{
			StatusCode: r.Status,
			Header:     r.Header.Clone(),
			Body:       io.NopCloser(bytes.NewReader(r.Body)),
			Request:    req,
		}
		ok, errs := v.ValidateHttpResponse(req, resp)
		if ok {
			if op := docPaths.operationOf(method, p); op != "" {
				seen.record(op, r.Status, r.Header, r.Body)
			}
			return nil
		}
		last = last[:0]
		pathMissing := false
		for _, e := range errs {
			if e.ValidationType == "path" || strings.Contains(e.Message, "not found") && strings.Contains(e.Message, "Path") {
				pathMissing = true
			}
			msg := e.Message
			if e.Reason != "" {
				msg += ": " + e.Reason
			}
			for _, se := range e.SchemaValidationErrors {
				msg += " [" + se.FieldPath + ": " + se.Reason + "]"
			}
			last = append(last, msg)
		}
		if !pathMissing {
			return last
		}
	}
	return last
}

func pathVariants(path string) []string {
	p, q, _ := strings.Cut(path, "?")
	var alt string
	if strings.HasSuffix(p, "/") {
		alt = strings.TrimSuffix(p, "/")
	} else {
		alt = p + "/"
	}
	if q != "" {
		return []string{p + "?" + q, alt + "?" + q}
	}
	return []string{p, alt}
}
