package apitest

import (
	"context"
	"io"
	"mime/multipart"
)

// Upload sends a multipart/form-data request with the given fields and a "file"
// part streamed from content (never held in memory), and validates the answer.
func (a *App) Upload(method, path, token string, fields map[string]string, filename string, content io.Reader) *Response {
	a.t.Helper()
	return a.UploadContext(context.Background(), method, path, token, fields, filename, content)
}

// UploadContext is Upload with a context (cancel it to drop the connection mid-upload).
func (a *App) UploadContext(ctx context.Context, method, path, token string, fields map[string]string, filename string, content io.Reader) *Response {
	a.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		var err error
		defer func() { _ = pw.CloseWithError(err) }()
		for k, v := range fields {
			if err = mw.WriteField(k, v); err != nil {
				return
			}
		}
		if content != nil {
			var part io.Writer
			if part, err = mw.CreateFormFile("file", filename); err != nil {
				return
			}
			if _, err = io.Copy(part, content); err != nil {
				return
			}
		}
		err = mw.Close()
	}()
	return a.Do(Req{Method: method, Path: path, Token: token, Body: pr, Context: ctx,
		Header: map[string]string{"Content-Type": mw.FormDataContentType()}})
}
