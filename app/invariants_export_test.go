package app

// HoldInvariantsRun takes the invariants query's run lock, as a run in progress holds it, and
// returns its release.
func (app *App) HoldInvariantsRun() func() {
	app.invariantsQuery.run.Lock()
	return app.invariantsQuery.run.Unlock
}
