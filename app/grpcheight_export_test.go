package app

// HeightWaiters is the number of gRPC queries waiting for the height being committed.
func (app *App) HeightWaiters() int64 { return app.heightWaiters.Load() }

// CommitWait is how long a query at the next height waits for it.
const CommitWait = commitWait

// MaxHeightWaiters is how many queries may wait for the next height at once.
const MaxHeightWaiters = maxHeightWaiters

// ClientError is the gRPC error a query's error reaches the client as.
func ClientError(err error) error { return clientError(err) }
