from fastapi import FastAPI

# ok: fastapi-production-middleware-missing
app = FastAPI(title="local tools")


@app.get("/health")
async def health():
    return {"ok": True}
