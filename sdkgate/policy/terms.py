"""The words policies use: data phrases -> category ids, permission group names -> Android permissions,
column/key labels -> row fields, purpose words -> SDK kinds, negation and platform-scope cues (zh, en).

Category ids are those of sdkgate/data/categories.yaml; permission names are Android's.
"""
from __future__ import annotations

import re
from functools import lru_cache

# category id -> phrases (case-insensitive unless the phrase is an all-capital short acronym)
CATEGORY_PHRASES: dict[str, tuple[str, ...]] = {
    "device_id.imei": ("IMEI", "国际移动设备识别码", "国际移动设备身份码", "设备识别码"),
    "device_id.meid": ("MEID", "移动设备识别码"),
    "device_id.imsi": ("IMSI", "国际移动用户识别码", "国际移动用户识别号", "subscriber id"),
    "device_id.iccid": ("ICCID", "SIM卡序列号", "SIM卡识别码", "集成电路卡识别码", "SIM serial"),
    "device_id.serial": ("硬件序列号", "设备序列号", "序列号", "serial number", "Build.SERIAL", "SN码"),
    "device_id.android_id": ("Android ID", "AndroidID", "Android_ID", "安卓ID", "SSAID"),
    "device_id.oaid": ("OAID", "匿名设备标识符", "匿名设备标识", "开放匿名设备标识符"),
    "device_id.gaid": ("GAID", "Google广告ID", "Google广告标识符", "谷歌广告ID", "advertising ID",
                       "advertising identifier", "AdID", "Google Advertising"),
    "device_id.mac": ("MAC", "MAC地址", "MAC address", "网卡地址", "物理地址"),
    "device_id.phone_number": ("手机号", "手机号码", "电话号码", "本机号码", "phone number", "mobile number",
                               "telephone number"),
    "network.wifi": ("Wi-Fi", "WiFi", "WIFI", "WLAN", "SSID", "BSSID", "无线网络信息", "wireless network",
                     "附近的Wi-Fi", "热点信息"),
    "network.ip": ("IP地址", "IP", "IP address"),
    "network.carrier": ("运营商", "基站", "小区信息", "蜂窝", "carrier", "cell tower", "cell ID", "mobile network code",
                        "网络运营商"),
    "clipboard": ("剪切板", "剪贴板", "粘贴板", "clipboard", "pasteboard"),
    "location": ("位置", "定位", "地理位置", "GPS", "经纬度", "行踪轨迹", "location", "geolocation", "latitude",
                 "longitude"),
    "installed_apps": ("应用列表", "已安装应用", "已安装的应用", "安装应用列表", "应用安装列表", "软件安装列表",
                       "已安装APP", "安装列表", "软件列表", "应用程序列表", "运行中的进程", "正在运行的进程",
                       "运行中的应用", "正在运行的应用", "应用进程", "进程列表", "APP列表", "应用安装信息",
                       "已安装APP", "已安装的APP", "已安装软件", "安装的应用列表", "installed apps", "installed applications",
                       "list of installed", "app list", "application list", "running apps", "running processes",
                       "GET_TASKS", "QUERY_ALL_PACKAGES"),
    "contacts": ("通讯录", "联系人", "contacts", "address book"),
    "sms": ("短信", "SMS", "text messages"),
    "call_log": ("通话记录", "call log", "call history"),
    "calendar": ("日历", "日程", "calendar"),
    "camera": ("摄像头", "相机", "拍照", "拍摄", "camera"),
    "microphone": ("麦克风", "录音", "语音", "microphone", "voice", "audio recording"),
    "accounts": ("设备账户", "设备上的账户", "系统账户", "accounts on the device", "device accounts"),
    "sensors": ("传感器", "陀螺仪", "加速度", "重力感应", "sensor", "gyroscope", "accelerometer"),
    "identity.id_number": ("身份证号", "身份证号码", "身份证", "证件号", "ID card", "ID number", "national ID"),
    "identity.face": ("人脸", "面部", "脸部", "活体", "face", "facial", "biometric"),
}

# vague phrases -> the taxonomy's generic parent (declared as written, never expanded into children); a
# parenthesis or colon right after the phrase that names children replaces it ("设备信息（IMEI、OAID）")
GENERIC_PHRASES: dict[str, tuple[str, ...]] = {
    "device_id": ("设备标识符", "设备标识信息", "设备标识", "设备唯一标识符", "设备唯一标识", "唯一设备识别码", "设备ID",
                  "设备 ID", "设备识别信息", "设备信息", "终端设备信息", "设备相关信息", "硬件设备信息", "手机设备信息",
                  "device identifiers", "device identifier", "device IDs", "device ID", "unique identifiers",
                  "unique identifier", "device information", "device info", "device data"),
    "network": ("网络信息", "网络相关信息", "网络连接信息", "network information", "network info"),
}

# data fields policies list that are no category of ours (a list of them is data, never a list of SDKs)
DATA_FIELDS = (
    "设备型号", "设备品牌", "设备制造商", "设备厂商", "手机型号", "手机品牌", "品牌", "型号", "机型", "设备名称", "设备类型",
    "操作系统", "操作系统版本", "系统版本", "系统类型", "系统语言", "语言", "时区", "国家", "地区", "国家/地区", "屏幕分辨率",
    "分辨率", "屏幕尺寸", "屏幕密度", "屏幕大小", "RAM", "ROM", "CPU", "CPU信息", "内存", "内存大小", "存储空间", "磁盘空间",
    "电量", "电池", "电池状态", "充电状态", "网络类型", "网络状态", "网络制式", "联网方式", "应用版本", "App版本", "APP版本",
    "应用版本号", "SDK版本", "包名", "应用包名", "应用名称", "应用信息", "时间戳", "日志", "日志信息", "崩溃日志", "错误日志",
    "崩溃信息", "堆栈信息", "设备参数", "硬件信息", "硬件型号", "主板", "基带版本", "内核版本", "UA", "User Agent", "IDFA",
    "IDFV", "OpenUDID", "GUID", "UUID", "UDID", "CAID", "推送Token", "Token", "设备Token", "浏览器类型", "浏览记录",
    "点击记录", "使用时长", "启动次数", "开机时间", "传感器", "亮度", "音量", "字体大小", "运营商信息",
    "device model", "model", "manufacturer", "brand", "OS version", "operating system", "OS", "system language",
    "language", "locale", "time zone", "timezone", "country", "region", "screen resolution", "screen size",
    "resolution", "battery", "battery level", "memory", "storage", "disk space", "network type", "connection type",
    "app version", "SDK version", "package name", "app name", "timestamp", "logs", "crash logs", "crash traces",
    "stack traces", "user agent", "push token", "device token", "installation ID", "app instance ID",
    "usage data", "diagnostics", "performance data", "CPU usage", "RAM size",
)

# the same row field, platform by platform: a column or key for another platform's data is not Android's
PLATFORM_LABEL = re.compile(r"^\s*(?P<p>android|安卓|ios|苹果|iphone|鸿蒙|harmonyos|harmony)\s*"
                            r"(?:版本?|版|端|系统|平台|客户端|app|sdk|version|platform)?\s*(?:[:：]|$)", re.I)

# cues that the data phrases after them are NOT collected (in the same clause)
NEGATIONS = ("不会收集", "不收集", "不会获取", "不获取", "不会读取", "不读取", "不会上传", "不上传", "不会采集", "不采集",
             "不会使用", "不使用", "不会共享", "不共享", "不涉及", "未收集", "并未收集", "无需", "不需要", "不包括", "不包含",
             "不会调用", "不调用", "不会访问", "不访问", "不会申请", "不申请", "不会请求", "禁止",
             "does not collect", "do not collect", "doesn't collect", "don't collect", "will not collect",
             "won't collect", "never collect", "never collects", "not collect", "does not access", "do not access",
             "does not read", "do not read", "never access", "not access", "does not use", "do not use", "not use",
             "does not request", "do not request", "without collecting", "not including", "excluding", "no longer",
             "not share", "never share", "not sell", "not send", "not transmit", "not upload", "not transfer",
             "not disclose", "not obtain", "not gather", "not process", "not store",
             "不会发送", "不发送", "不会传输", "不传输", "不会提供", "不会向", "不会存储", "不会保存", "从不", "绝不", "不得",
             "未接入", "没有接入", "不接入", "不会接入", "并未接入", "未集成", "没有集成", "不集成", "不会集成", "未使用",
             "没有使用", "并未使用", "未嵌入", "不嵌入", "不含", "do not integrate", "does not integrate", "not integrate",
             "don't use", "doesn't use", "never use", "does not contain", "do not contain", "not contain",
             "not include", "not embed")

# cues that the SDKs named after them are NOT used (a narrower set than NEGATIONS: "我们不会向Bugly提供位置" still
# uses Bugly)
SDK_NEGATIONS = ("不使用", "不会使用", "未使用", "没有使用", "并未使用", "未接入", "没有接入", "不接入", "不会接入", "并未接入",
                 "未集成", "没有集成", "不集成", "不会集成", "未嵌入", "不嵌入", "不含", "不包含", "不包括", "停止使用", "不再使用",
                 "do not use", "does not use", "don't use", "doesn't use", "not use", "never use", "no longer use",
                 "do not integrate", "does not integrate", "not integrate", "does not contain", "do not contain",
                 "not contain", "does not include", "do not include", "not include", "not embed", "not rely on",
                 "stopped using", "no longer uses")

# text that is about another platform: no Android declaration from it
IOS_ONLY = re.compile(r"NS\w*UsageDescription|\biOS\s*(?:端|版|系统|设备|only|app)|仅(?:适用于|限)?\s*iOS|"
                      r"(?:for|on) iOS|\(iOS\)|（iOS）|App Tracking Transparency", re.I)
# a segment of a data cell that only iOS concerns: "【仅iOS】IDFV、…" up to the next 【
IOS_SEGMENT = re.compile(r"[【\[]\s*仅?\s*iOS\s*(?:only|端)?\s*[】\]][^【\[]*", re.I)
ANDROID_MENTION = re.compile(r"Android|安卓", re.I)
HARMONY = re.compile(r"ohos\.permission\.[A-Z_]+|HarmonyOS|鸿蒙|OpenHarmony", re.I)

# Chinese/English permission group names -> Android permissions
PERMISSION_GROUPS: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("读取手机状态", "读取电话状态", "电话状态", "手机状态", "电话权限", "电话", "设备信息权限", "读取设备信息",
      "读取设备通话状态和识别码", "读取设备通话状态", "设备通话状态", "通话状态", "读取手机状态和身份", "读取电话状态和身份",
      "查看电话信息", "获取电话信息", "读取电话信息", "电话信息", "手机识别码", "设备识别码权限",
      "read phone status and identity", "read phone state", "read phone status", "phone status", "phone state",
      "phone"), ("android.permission.READ_PHONE_STATE",)),
    (("拨打电话", "make calls", "make phone calls"), ("android.permission.CALL_PHONE",)),
    (("精确位置", "精确定位", "precise location", "fine location"), ("android.permission.ACCESS_FINE_LOCATION",)),
    (("粗略位置", "大致位置", "approximate location", "coarse location"), ("android.permission.ACCESS_COARSE_LOCATION",)),
    (("后台定位", "后台位置", "background location"), ("android.permission.ACCESS_BACKGROUND_LOCATION",)),
    (("位置", "定位", "地理位置", "GPS", "location"),
     ("android.permission.ACCESS_FINE_LOCATION", "android.permission.ACCESS_COARSE_LOCATION")),
    (("存储", "读写存储", "存储空间", "外部存储", "文件读写", "读写文件", "SD卡", "storage", "files and media"),
     ("android.permission.READ_EXTERNAL_STORAGE", "android.permission.WRITE_EXTERNAL_STORAGE")),
    (("相册", "照片", "图片和视频", "photos", "photo library"), ("android.permission.READ_EXTERNAL_STORAGE",)),
    (("相机", "摄像头", "拍照", "camera"), ("android.permission.CAMERA",)),
    (("麦克风", "录音", "录制音频", "microphone", "record audio"), ("android.permission.RECORD_AUDIO",)),
    (("通讯录", "联系人", "contacts"), ("android.permission.READ_CONTACTS",)),
    (("日历", "calendar"), ("android.permission.READ_CALENDAR", "android.permission.WRITE_CALENDAR")),
    (("短信", "SMS", "text messages"), ("android.permission.READ_SMS",)),
    (("通话记录", "call log"), ("android.permission.READ_CALL_LOG",)),
    (("附近的设备", "附近设备", "nearby devices"), ("android.permission.BLUETOOTH_SCAN", "android.permission.BLUETOOTH_CONNECT")),
    (("蓝牙", "bluetooth"), ("android.permission.BLUETOOTH",)),
    (("通知", "notification", "notifications"), ("android.permission.POST_NOTIFICATIONS",)),
    (("身体活动", "运动健身", "physical activity", "activity recognition"), ("android.permission.ACTIVITY_RECOGNITION",)),
    (("身体传感器", "body sensors"), ("android.permission.BODY_SENSORS",)),
    (("悬浮窗", "显示在其他应用上层", "display over other apps"), ("android.permission.SYSTEM_ALERT_WINDOW",)),
    (("安装未知应用", "安装应用权限", "未知来源", "install unknown apps"), ("android.permission.REQUEST_INSTALL_PACKAGES",)),
    (("应用列表", "获取应用列表", "读取应用列表", "软件列表", "query all packages"), ("android.permission.QUERY_ALL_PACKAGES",)),
    (("网络状态", "network state"), ("android.permission.ACCESS_NETWORK_STATE",)),
    (("WLAN状态", "WiFi状态", "Wi-Fi状态", "wifi state", "Wi-Fi state"), ("android.permission.ACCESS_WIFI_STATE",)),
    (("网络访问", "访问网络", "联网", "internet access", "network access"), ("android.permission.INTERNET",)),
    (("振动", "震动", "控制振动", "控制震动", "vibrate"), ("android.permission.VIBRATE",)),
    # the labels Android (and Chinese app stores) show for permissions
    (("完全的网络访问权限", "完全的网络访问", "full network access"), ("android.permission.INTERNET",)),
    (("查看网络状态", "查看网络连接", "获取网络状态", "访问网络状态", "view network connections"),
     ("android.permission.ACCESS_NETWORK_STATE",)),
    (("查看WLAN状态", "查看WLAN连接", "获取WiFi状态", "获取WLAN状态", "访问WiFi状态", "view Wi-Fi connections"),
     ("android.permission.ACCESS_WIFI_STATE",)),
    (("更改WLAN状态", "改变WiFi状态", "更改WiFi状态", "连接WLAN网络和断开连接"), ("android.permission.CHANGE_WIFI_STATE",)),
    (("更改网络连接性", "改变网络状态", "更改网络状态"), ("android.permission.CHANGE_NETWORK_STATE",)),
    (("防止手机休眠", "防止设备休眠", "唤醒锁定", "prevent phone from sleeping"), ("android.permission.WAKE_LOCK",)),
    (("写入外部存储", "修改或删除您的SD卡中的内容", "修改或删除您共享存储空间中的内容", "写入存储"),
     ("android.permission.WRITE_EXTERNAL_STORAGE",)),
    (("读取外部存储", "读取您的SD卡中的内容", "读取您共享存储空间中的内容", "读取存储"),
     ("android.permission.READ_EXTERNAL_STORAGE",)),
    (("访问大致位置信息", "访问大致位置", "大致位置（基于网络）"), ("android.permission.ACCESS_COARSE_LOCATION",)),
    (("访问精确位置", "访问确切位置信息", "精确位置（基于GPS和网络）"), ("android.permission.ACCESS_FINE_LOCATION",)),
    (("与蓝牙设备配对", "pair with Bluetooth devices"), ("android.permission.BLUETOOTH",)),
    (("访问蓝牙设置", "access Bluetooth settings"), ("android.permission.BLUETOOTH_ADMIN",)),
    (("读取系统日志文件", "读取系统日志", "查阅敏感日志数据"), ("android.permission.READ_LOGS",)),
    (("更改音频设置", "修改声音设置", "change your audio settings"), ("android.permission.MODIFY_AUDIO_SETTINGS",)),
    (("检索正在运行的应用", "获取正在运行的应用", "retrieve running apps"), ("android.permission.GET_TASKS",)),
    (("拍摄照片和视频", "拍摄照片", "take pictures and videos"), ("android.permission.CAMERA",)),
    (("在其他应用之上显示内容", "显示系统窗口", "draw over other apps"), ("android.permission.SYSTEM_ALERT_WINDOW",)),
    (("读取联系人", "读取通讯录", "read your contacts"), ("android.permission.READ_CONTACTS",)),
    (("请求安装文件包", "请求安装应用"), ("android.permission.REQUEST_INSTALL_PACKAGES",)),
    (("查找设备上的帐号", "查找设备上的账号", "获取设备账户", "find accounts on the device"), ("android.permission.GET_ACCOUNTS",)),
    (("使用指纹", "使用生物识别", "use biometric hardware", "use fingerprint hardware"), ("android.permission.USE_BIOMETRIC",)),
    (("控制近距离通信", "NFC"), ("android.permission.NFC",)),
    (("开机自启", "开机启动", "run at startup"), ("android.permission.RECEIVE_BOOT_COMPLETED",)),
]

# permission names only iOS has: a sentence about them asks nothing of Android ("本地网络访问" is not INTERNET)
IOS_ONLY_PERMISSIONS = re.compile(r"本地网络|局域网络?访问|local network|App\s*Tracking|跟踪您|允许.{0,6}跟踪|Face\s*ID|面容\s*ID|"
                                  r"HomeKit|Siri|Apple\s*Music|媒体与\s*Apple\s*Music|媒体资料库|HealthKit|健康数据|"
                                  r"运动与健身|Motion\s*&\s*Fitness|照片图库|NS\w*UsageDescription", re.I)

# Android permission constants (for typo normalisation and bare constant names in the text)
KNOWN_PERMISSIONS = (
    "ACCESS_BACKGROUND_LOCATION", "ACCESS_COARSE_LOCATION", "ACCESS_FINE_LOCATION", "ACCESS_LOCATION_EXTRA_COMMANDS",
    "ACCESS_MEDIA_LOCATION", "ACCESS_NETWORK_STATE", "ACCESS_NOTIFICATION_POLICY", "ACCESS_WIFI_STATE",
    "ACTIVITY_RECOGNITION", "BLUETOOTH", "BLUETOOTH_ADMIN", "BLUETOOTH_ADVERTISE", "BLUETOOTH_CONNECT",
    "BLUETOOTH_SCAN", "BODY_SENSORS", "CALL_PHONE", "CAMERA", "CHANGE_NETWORK_STATE", "CHANGE_WIFI_STATE",
    "CHANGE_WIFI_MULTICAST_STATE", "DISABLE_KEYGUARD", "EXPAND_STATUS_BAR", "FLASHLIGHT", "FOREGROUND_SERVICE",
    "GET_ACCOUNTS", "GET_PACKAGE_SIZE", "GET_TASKS", "INTERNET", "KILL_BACKGROUND_PROCESSES", "MANAGE_EXTERNAL_STORAGE",
    "MODIFY_AUDIO_SETTINGS", "MOUNT_UNMOUNT_FILESYSTEMS", "NFC", "POST_NOTIFICATIONS", "PROCESS_OUTGOING_CALLS",
    "QUERY_ALL_PACKAGES", "READ_CALENDAR", "READ_CALL_LOG", "READ_CLIPBOARD", "READ_CONTACTS", "READ_EXTERNAL_STORAGE",
    "READ_MEDIA_AUDIO", "READ_MEDIA_IMAGES", "READ_MEDIA_VIDEO", "READ_PHONE_NUMBERS", "READ_PHONE_STATE",
    "READ_PRIVILEGED_PHONE_STATE", "READ_SMS", "READ_SYNC_SETTINGS", "RECEIVE_BOOT_COMPLETED", "RECEIVE_MMS",
    "RECEIVE_SMS", "RECORD_AUDIO", "REORDER_TASKS", "REQUEST_IGNORE_BATTERY_OPTIMIZATIONS",
    "REQUEST_INSTALL_PACKAGES", "SCHEDULE_EXACT_ALARM", "SEND_SMS", "SET_WALLPAPER", "SYSTEM_ALERT_WINDOW",
    "USE_BIOMETRIC", "USE_FINGERPRINT", "USE_FULL_SCREEN_INTENT", "VIBRATE", "WAKE_LOCK", "WRITE_CALENDAR",
    "WRITE_CALL_LOG", "WRITE_CONTACTS", "WRITE_EXTERNAL_STORAGE", "WRITE_SETTINGS", "WRITE_SYNC_SETTINGS",
    "ACCESS_CHECKIN_PROPERTIES", "READ_LOGS", "RECEIVE_USER_PRESENT", "BROADCAST_STICKY", "CHANGE_CONFIGURATION",
    "INSTALL_SHORTCUT", "UNINSTALL_SHORTCUT", "WRITE_SECURE_SETTINGS", "PACKAGE_USAGE_STATS", "ANSWER_PHONE_CALLS",
    "USE_SIP", "ADD_VOICEMAIL", "READ_VOICEMAIL", "UWB_RANGING", "NEARBY_WIFI_DEVICES", "BIND_NOTIFICATION_LISTENER_SERVICE",
)
# permissions named in a manufacturer or vendor namespace stay as written (com.huawei..., com.google.android.gms...)

# column header / key label -> row field (checked in this order: the first match decides)
def _label(zh: str, en: str) -> re.Pattern:
    """Chinese words anywhere in a label, English words whole (no 'use' inside 'clause')."""
    return re.compile(rf"{zh}|(?<![A-Za-z])(?:{en})(?![a-rt-z])", re.I)


FIELD_LABELS: list[tuple[str, re.Pattern]] = [
    ("link", _label(r"隐私政策|隐私权政策|隐私协议|链接|网址|官网", r"privacy\s*policy|privacy\s*notice|link|url")),
    # a row's metadata, never its name: "SDK版本：9.5.0", "MD5：…", "SDK类型：推送"
    ("meta", re.compile(r"版本|签名|证书|指纹|文件大小|^大小$|更新时间|更新日期|发布日期|是否必要|是否必选|必要性|"
                        r"SDK\s*(?:类型|类别|分类)|^(?:类型|类别|分类|服务类型|功能类型)$|存储地点|存储期限|保存期限|是否出境|"
                        r"(?<![A-Za-z])(?:version|md5|sha-?\d*|signature|fingerprint|last\s*updated|release|license|"
                        r"retention)(?![A-Za-z])|^(?:sdk\s*)?(?:type|category|kind|size|required|mandatory)$", re.I)),
    ("vendor", _label(r"公司|主体|开发者|提供方|运营方|运营者|所属|厂商|企业名称|接收方",
                      r"vendor|company|provider|developer|operator|entity|recipient")),
    ("packages", _label(r"包名|包路径", r"package|package\s*name")),
    ("permissions", _label(r"权限", r"permission")),
    ("data", _label(r"个人信息|信息类型|信息字段|收集.*信息|收集.*数据|共享.*信息|数据类型|信息种类|字段|收集范围|"
                    r"涉及.*信息|获取.*信息|使用.*信息|处理.*信息",
                    r"data|information|collected|personal\s*info")),
    ("purpose", _label(r"目的|用途|功能|场景|作用|用于", r"purpose|use|usage|function|scenario|why|reason")),
    ("method", _label(r"方式|处理方式|共享方式", r"method|manner")),
    ("when", _label(r"时机|申请时|何时", r"when")),
    ("name", _label(r"(?<![A-Za-z])SDK(?![A-Za-z])|名称|名字|插件|组件|第三方|合作方|库",
                    r"name|library|plugin|partner|service|third[\s-]*part(?:y|ies)|tool")),
]

# purpose / name words -> SDK kind (disambiguates a vendor with several SDKs)
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "push": ("推送", "消息通知", "通知", "push", "notification"),
    "analytics": ("统计", "分析", "埋点", "analytics", "statistic"),
    "ads": ("广告", "ads", "advert", "monetiz"),
    "crash": ("崩溃", "异常", "错误", "稳定性", "crash", "bug", "error"),
    "login": ("登录", "认证", "一键", "本机号码", "号码验证", "login", "sign-in", "sign in", "verification"),
    "payment": ("支付", "付款", "收银", "pay", "payment"),
    "map_location": ("定位", "地图", "位置", "导航", "location", "map"),
    "face_identity": ("人脸", "实名", "活体", "刷脸", "身份核验", "身份认证", "face", "liveness", "identity"),
    "share": ("分享", "share"),
    "social": ("即时通讯", "聊天", "IM", "消息", "客服", "chat", "messaging"),
    "oaid": ("OAID", "设备标识", "匿名设备"),
}

WHEN_AT_START = re.compile(r"首次启动|启动时|首次运行|at first launch|first launch|first start|首次打开|打开(?:App|APP|应用)时|初始化时|安装后|at (?:app )?(?:launch|start|startup)|"
                           r"on (?:first )?launch|when the app (?:starts|opens)", re.I)
WHEN_ON_FEATURE = re.compile(r"使用.{0,20}(?:功能|服务)时|当您.{0,30}时|在您.{0,30}时|仅在|需要时|"
                             r"[^，。,;；]{1,12}时(?:才)?(?:申请|请求|获取|调用|使用|开启)|when (?:you|the user) \w+|"
                             r"only when|on demand", re.I)

SDK_CONTEXT = re.compile(r"SDK|sdk|第三方|合作方|登录|分享|支付|推送|统计|定位|地图|认证|识别|委托|共享|接入|集成|插件|采用|引入|嵌入|"
                         r"(?:我们|本应用|本App|App|应用)(?:会|将)?使用|"
                         r"third[- ]party|partner|login|share|payment|push|analytics|we use|uses|integrat|embed|provided by|"
                         r"service provider|processor", re.I)
PERMISSION_CONTEXT = re.compile(r"权限|授权|允许.{0,10}访问|permission|allow .{0,20}access|grant", re.I)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def phrase_regex(phrase: str) -> str:
    """A phrase as a regex: spaces between script changes optional, ASCII words whole."""
    out = []
    for i, ch in enumerate(phrase):
        if ch == " ":
            out.append(r"[\s_-]*")
            continue
        if i and phrase[i - 1] != " " and (_is_cjk(ch) != _is_cjk(phrase[i - 1])):
            out.append(r"\s*")
        out.append(re.escape(ch))
    body = "".join(out)
    if phrase[0].isascii() and phrase[0].isalnum():
        body = r"(?<![A-Za-z0-9])" + body
    if phrase[-1].isascii() and phrase[-1].isalnum():
        body = body + r"(?![A-Za-z0-9])"
    return body


def _case_sensitive(phrase: str) -> bool:
    return phrase.isascii() and phrase.replace("-", "").isupper() and len(phrase) <= 5


def automaton(pairs):
    """A pyahocorasick automaton of (key, value) pairs (empty keys skipped)."""
    import ahocorasick
    a = ahocorasick.Automaton()
    for key, value in pairs:
        if key:
            a.add_word(key, value)
    if len(a):
        a.make_automaton()
    return a


def fixed_part(phrase: str) -> str:
    """The longest piece of a phrase that every way of writing it keeps as is (no space, hyphen or script change
    inside), lower-cased: a text without it cannot hold the phrase."""
    pieces = re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\s_\-\u3400-\u9fff\uf900-\ufaff]+", phrase.lower())
    return max(pieces, key=len) if pieces else phrase.lower()


class Prefiltered:
    """Phrase regexes tried only when their fixed part occurs in the text (one Aho-Corasick pass), in the order
    given: hundreds of phrases cost one scan of the text, not hundreds."""

    def __init__(self, phrases: list[str]):
        keys: dict[str, list[int]] = {}
        for k, p in enumerate(phrases):
            keys.setdefault(fixed_part(p), []).append(k)
        self.ac = automaton(keys.items())

    def candidates(self, text: str) -> list[int]:
        if not len(self.ac):
            return []
        return sorted({k for _end, ks in self.ac.iter(text.lower()) for k in ks})


@lru_cache(maxsize=1)
def category_matchers() -> list[tuple[str, re.Pattern]]:
    """(category id, regex) longest phrase first, so 'MAC地址' wins over 'MAC'."""
    rows = [(cid, p) for cid, ps in CATEGORY_PHRASES.items() for p in ps]
    rows.sort(key=lambda r: -len(r[1]))
    return [(cid, re.compile(phrase_regex(p), 0 if _case_sensitive(p) else re.I)) for cid, p in rows]


@lru_cache(maxsize=1)
def permission_group_matchers() -> list[tuple[str, re.Pattern, tuple[str, ...]]]:
    rows = [(p, perms) for names, perms in PERMISSION_GROUPS for p in names]
    rows.sort(key=lambda r: -len(r[0]))
    return [(p, re.compile(phrase_regex(p), 0 if _case_sensitive(p) else re.I), perms) for p, perms in rows]


@lru_cache(maxsize=1)
def permission_groups_prefilter() -> Prefiltered:
    return Prefiltered([p for p, _rx, _perms in permission_group_matchers()])


_NEG_HINT = re.compile(r"[不未无禁绝没从非]|not|n't|never|without|exclud|no longer|none", re.I)


def may_negate(text: str) -> bool:
    """Cheap test before the negation patterns: every cue holds one of these."""
    return bool(_NEG_HINT.search(text))


@lru_cache(maxsize=1)
def negation_regex() -> re.Pattern:
    return re.compile("|".join(phrase_regex(n) for n in sorted(NEGATIONS, key=len, reverse=True)), re.I)


@lru_cache(maxsize=1)
def sdk_negation_regex() -> re.Pattern:
    return re.compile("|".join(phrase_regex(n) for n in sorted(SDK_NEGATIONS, key=len, reverse=True)), re.I)


def field_of(label: str) -> str | None:
    """The row field a column header or key label names, or None. A platform's own column or key
    ("Android版本", "iOS端") is `android` (the Android data) or `other_platform`."""
    lab = label.strip().strip("*:：#").strip()
    if not lab or len(lab) > 40:
        return None
    pm = PLATFORM_LABEL.match(lab)
    if pm:
        return "android" if pm.group("p").lower() in ("android", "安卓") else "other_platform"
    for fld, rx in FIELD_LABELS:
        if rx.search(lab):
            return fld
    return None


def kinds_in(text: str) -> list[str]:
    low = text.lower()
    return [k for k, words in KIND_WORDS.items() if any(w.lower() in low for w in words)]
