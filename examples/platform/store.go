package platform

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

// Store is the services' business: notes in the database and a counter
// in Redis. Its methods return a status and a JSON-ready value, which each
// framework writes its own way.
type Store struct{ b *Backends }

// Note is a stored note.
type Note struct {
	Name   string `json:"name"`
	Body   string `json:"body"`
	Author string `json:"author"`
}

type problem struct {
	Error string `json:"error"`
}

// MaxNote is the largest note body accepted.
const MaxNote = 64 << 10

// GetNote answers GET /notes/{name}.
func (s *Store) GetNote(ctx context.Context, name string) (int, any) {
	n := Note{Name: name}
	err := s.b.DB.QueryRowContext(ctx, rebind(s.b.Dialect, `SELECT body, author FROM notes WHERE name = ?`), name).Scan(&n.Body, &n.Author)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return http.StatusNotFound, problem{"no note named " + name}
	case err != nil:
		return http.StatusServiceUnavailable, problem{"database unavailable"}
	}
	return http.StatusOK, n
}

// PutNote answers PUT /notes/{name}: the request body is the note, the
// X-User header its author (logged as the summary's uid).
func (s *Store) PutNote(ctx context.Context, name, author string, body io.Reader) (int, any) {
	if len(name) == 0 || len(name) > 100 {
		return http.StatusBadRequest, problem{"a note's name is 1 to 100 bytes"}
	}
	text, err := io.ReadAll(io.LimitReader(body, MaxNote+1))
	if err != nil {
		return http.StatusBadRequest, problem{"reading the body: " + err.Error()}
	}
	if len(text) > MaxNote {
		return http.StatusRequestEntityTooLarge, problem{"a note is at most 64 KiB"}
	}
	if author != "" {
		dockerflow.SetUserID(ctx, author)
	}
	tx, err := s.b.DB.BeginTx(ctx, nil)
	if err != nil {
		return http.StatusServiceUnavailable, problem{"database unavailable"}
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, rebind(s.b.Dialect, `DELETE FROM notes WHERE name = ?`), name); err != nil {
		return http.StatusServiceUnavailable, problem{"database unavailable"}
	}
	if _, err := tx.ExecContext(ctx, rebind(s.b.Dialect, `INSERT INTO notes (name, body, author) VALUES (?, ?, ?)`), name, string(text), author); err != nil {
		return http.StatusServiceUnavailable, problem{"database unavailable"}
	}
	if err := tx.Commit(); err != nil {
		return http.StatusServiceUnavailable, problem{"database unavailable"}
	}
	return http.StatusOK, Note{Name: name, Body: string(text), Author: author}
}

// Count answers POST /counter: one more, kept in Redis.
func (s *Store) Count(ctx context.Context) (int, any) {
	n, err := s.b.Redis.Incr(ctx, "example:counter").Result()
	if err != nil {
		return http.StatusServiceUnavailable, problem{"redis unavailable"}
	}
	return http.StatusOK, map[string]int64{"count": n}
}

// WriteJSON writes v as the JSON answer, for net/http and chi.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
