from fastapi import APIRouter, Depends

from shop.auth import get_current_user

router = APIRouter()


@router.get("/me")
# ok: admin-route-without-auth
async def me(user=Depends(get_current_user)):
    return user


@router.get("/admin/metrics")
# ruleid: admin-route-without-auth
async def admin_metrics():
    return {"users": 10}


@router.get("/admin/settings", dependencies=[Depends(get_current_user)])
# ok: admin-route-without-auth
async def admin_settings():
    return {}
