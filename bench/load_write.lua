-- wrk: authenticated POSTs logging a message between me and person 12.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"kind": "message", "people": ["me", "12"], "notes": "load"}'
