from fastapi import FastAPI

# ruleid: fastapi-production-middleware-missing
app = FastAPI(title="shop", docs_url=None, redoc_url=None)


@app.get("/items")
async def items():
    return []
