"""kfbonus: the monthly incentives of FS-MS-KF-13 (客户服务部工程施工安装人员综合激励方案)."""

__version__ = "0.1.0"
