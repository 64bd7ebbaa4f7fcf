package app

// HeightWaiters is the number of gRPC queries waiting for the height being committed.
func (app *App) HeightWaiters() int64 { return app.heightWaiters.Load() }
