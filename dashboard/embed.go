// Package dashboard is the BAI dashboard: the web app built from this folder (dist/, committed,
// so a Go build needs no npm) embedded in baid and served by the API server at /dashboard/ when
// app.toml's [dashboard] enable is true.
package dashboard

import (
	"embed"
	"io/fs"
)

//go:embed dist
var dist embed.FS

// Files returns the built dashboard: index.html and assets/.
func Files() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err)
	}
	return sub
}
