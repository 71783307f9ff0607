import os

import redis
from celery import Celery
from pymongo import MongoClient
from sqlalchemy import create_engine
from sqlalchemy import create_engine as make_engine

# ruleid: database-url-credentials
engine = create_engine("postgresql://app:S3cr3t-pass@db.internal:5432/shop")

# ok: database-url-credentials
engine_from_env = create_engine(os.environ["DATABASE_URL"])

# ruleid: database-url-credentials
DATABASE_URL = os.getenv("DATABASE_URL", "mysql+pymysql://root:hunter2@localhost/app")

# ok: database-url-credentials
LOCAL_DATABASE_URL = os.getenv("DATABASE_URL", "sqlite:///local.db")

# ruleid: database-url-credentials
mongo = MongoClient("mongodb+srv://admin:Pa55w0rd!@cluster0.example.mongodb.net/?retryWrites=true")

# ok: database-url-credentials
mongo_local = MongoClient("mongodb://localhost:27017/")


def build_engine(user, password, host):
    # ok: database-url-credentials
    return make_engine(f"postgresql+psycopg2://{user}:{password}@{host}/shop")


def build_engine_percent(params):
    # ok: database-url-credentials
    return make_engine("postgresql://%(user)s:%(password)s@%(host)s/shop" % params)


# ruleid: database-url-credentials
cache = redis.Redis.from_url("redis://:cache-secret-42@redis.internal:6379/0")

# ok: database-url-credentials
cache_env = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"))

# ruleid: database-url-credentials
celery = Celery("tasks", broker="amqp://guest:guest-password@rabbit.internal:5672//")


class Config:
    # ruleid: database-url-credentials
    SQLALCHEMY_DATABASE_URI = "postgres://shop:0nly-f0r-pr0d@10.0.0.5/shop"
    # ok: database-url-credentials
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # ok: database-url-credentials
    SQLALCHEMY_DATABASE_URI_TEMPLATE = "postgresql://${DB_USER}:${DB_PASSWORD}@db/shop"
