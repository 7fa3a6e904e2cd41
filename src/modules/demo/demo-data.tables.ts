// Data tables for the deterministic demo-customer generator (demo-data.ts).
// Names carry a pinyin spelling so that e-mail addresses can be derived from them.

/** [characters, pinyin] */
export type Spelled = readonly [string, string];

/** Common surnames, roughly in order of frequency. */
// biome-ignore format: compact data table
export const SURNAMES: readonly Spelled[] = [
  ['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'],
  ['黄', 'huang'], ['赵', 'zhao'], ['吴', 'wu'], ['周', 'zhou'], ['徐', 'xu'], ['孙', 'sun'], ['马', 'ma'],
  ['朱', 'zhu'], ['胡', 'hu'], ['郭', 'guo'], ['何', 'he'], ['高', 'gao'], ['林', 'lin'], ['罗', 'luo'],
  ['郑', 'zheng'], ['梁', 'liang'], ['谢', 'xie'], ['宋', 'song'], ['唐', 'tang'], ['许', 'xu'],
  ['韩', 'han'], ['冯', 'feng'], ['邓', 'deng'], ['曹', 'cao'], ['彭', 'peng'], ['曾', 'zeng'],
  ['肖', 'xiao'], ['田', 'tian'], ['董', 'dong'], ['袁', 'yuan'], ['潘', 'pan'], ['于', 'yu'],
  ['蒋', 'jiang'], ['蔡', 'cai'], ['余', 'yu'], ['杜', 'du'], ['叶', 'ye'], ['程', 'cheng'], ['苏', 'su'],
  ['魏', 'wei'], ['吕', 'lv'], ['丁', 'ding'], ['任', 'ren'], ['沈', 'shen'], ['姚', 'yao'], ['卢', 'lu'],
  ['姜', 'jiang'], ['崔', 'cui'], ['钟', 'zhong'], ['谭', 'tan'], ['陆', 'lu'], ['汪', 'wang'],
  ['范', 'fan'], ['金', 'jin'], ['石', 'shi'], ['廖', 'liao'], ['贾', 'jia'], ['夏', 'xia'], ['韦', 'wei'],
  ['付', 'fu'], ['方', 'fang'], ['白', 'bai'], ['邹', 'zou'], ['孟', 'meng'], ['熊', 'xiong'],
  ['秦', 'qin'], ['邱', 'qiu'], ['江', 'jiang'], ['尹', 'yin'], ['薛', 'xue'], ['闫', 'yan'],
  ['段', 'duan'], ['雷', 'lei'], ['侯', 'hou'], ['龙', 'long'], ['史', 'shi'], ['陶', 'tao'], ['黎', 'li'],
  ['贺', 'he'], ['顾', 'gu'], ['毛', 'mao'], ['郝', 'hao'], ['龚', 'gong'], ['邵', 'shao'], ['万', 'wan'],
  ['钱', 'qian'], ['严', 'yan'], ['覃', 'qin'], ['武', 'wu'], ['戴', 'dai'], ['莫', 'mo'], ['孔', 'kong'],
  ['向', 'xiang'], ['汤', 'tang'],
];

export type Era = 'old' | 'mid' | 'young';

/** Given names by gender and birth era (old ≤1975, mid 1976–1990, young ≥1991). */
// biome-ignore format: compact data table
export const GIVEN_NAMES: Record<'male' | 'female', Record<Era, readonly Spelled[]>> = {
  male: {
    old: [
      ['建国', 'jianguo'], ['建军', 'jianjun'], ['卫东', 'weidong'], ['国庆', 'guoqing'],
      ['国强', 'guoqiang'], ['志强', 'zhiqiang'], ['建华', 'jianhua'], ['永刚', 'yonggang'],
      ['德明', 'deming'], ['振华', 'zhenhua'], ['立新', 'lixin'], ['新民', 'xinmin'], ['红兵', 'hongbing'],
      ['长江', 'changjiang'], ['海军', 'haijun'], ['保国', 'baoguo'], ['玉林', 'yulin'],
      ['春生', 'chunsheng'], ['永强', 'yongqiang'], ['福生', 'fusheng'], ['志明', 'zhiming'],
      ['建平', 'jianping'], ['国华', 'guohua'], ['学军', 'xuejun'], ['军', 'jun'], ['勇', 'yong'],
      ['平', 'ping'], ['斌', 'bin'],
    ],
    mid: [
      ['伟', 'wei'], ['强', 'qiang'], ['磊', 'lei'], ['涛', 'tao'], ['超', 'chao'], ['刚', 'gang'],
      ['鹏', 'peng'], ['辉', 'hui'], ['海涛', 'haitao'], ['晓东', 'xiaodong'], ['俊杰', 'junjie'],
      ['志伟', 'zhiwei'], ['建伟', 'jianwei'], ['明辉', 'minghui'], ['鹏飞', 'pengfei'],
      ['宏伟', 'hongwei'], ['晓峰', 'xiaofeng'], ['海峰', 'haifeng'], ['文杰', 'wenjie'],
      ['俊峰', 'junfeng'], ['伟明', 'weiming'], ['小龙', 'xiaolong'], ['东升', 'dongsheng'],
      ['剑锋', 'jianfeng'], ['立强', 'liqiang'], ['国栋', 'guodong'], ['亮', 'liang'], ['峰', 'feng'],
    ],
    young: [
      ['浩然', 'haoran'], ['子轩', 'zixuan'], ['宇航', 'yuhang'], ['天宇', 'tianyu'], ['睿泽', 'ruize'],
      ['一鸣', 'yiming'], ['博文', 'bowen'], ['家豪', 'jiahao'], ['泽宇', 'zeyu'], ['思远', 'siyuan'],
      ['浩宇', 'haoyu'], ['俊熙', 'junxi'], ['梓豪', 'zihao'], ['晨阳', 'chenyang'], ['嘉伟', 'jiawei'],
      ['子墨', 'zimo'], ['锦程', 'jincheng'], ['昊天', 'haotian'], ['宇轩', 'yuxuan'], ['凯', 'kai'],
      ['浩', 'hao'], ['宇', 'yu'], ['航', 'hang'], ['晨', 'chen'], ['睿', 'rui'], ['铭', 'ming'],
    ],
  },
  female: {
    old: [
      ['秀英', 'xiuying'], ['桂兰', 'guilan'], ['玉兰', 'yulan'], ['淑珍', 'shuzhen'], ['秀兰', 'xiulan'],
      ['桂英', 'guiying'], ['凤英', 'fengying'], ['丽华', 'lihua'], ['美华', 'meihua'], ['玉梅', 'yumei'],
      ['红梅', 'hongmei'], ['秀珍', 'xiuzhen'], ['淑华', 'shuhua'], ['素芬', 'sufen'], ['金凤', 'jinfeng'],
      ['春梅', 'chunmei'], ['慧琴', 'huiqin'], ['丽君', 'lijun'], ['爱华', 'aihua'], ['玉珍', 'yuzhen'],
      ['芳', 'fang'], ['萍', 'ping'], ['霞', 'xia'], ['红', 'hong'], ['梅', 'mei'],
    ],
    mid: [
      ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['艳', 'yan'],
      ['娟', 'juan'], ['婷', 'ting'], ['丽娟', 'lijuan'], ['晓燕', 'xiaoyan'], ['海燕', 'haiyan'],
      ['丽萍', 'liping'], ['雪梅', 'xuemei'], ['晓红', 'xiaohong'], ['慧敏', 'huimin'],
      ['婷婷', 'tingting'], ['晓丽', 'xiaoli'], ['莉莉', 'lili'], ['文静', 'wenjing'], ['春燕', 'chunyan'],
      ['丹丹', 'dandan'], ['晶晶', 'jingjing'], ['倩', 'qian'], ['颖', 'ying'], ['洁', 'jie'],
      ['琳', 'lin'], ['雪', 'xue'],
    ],
    young: [
      ['欣怡', 'xinyi'], ['梓涵', 'zihan'], ['雨涵', 'yuhan'], ['诗涵', 'shihan'], ['思琪', 'siqi'],
      ['可馨', 'kexin'], ['佳怡', 'jiayi'], ['雨彤', 'yutong'], ['梦瑶', 'mengyao'], ['一诺', 'yinuo'],
      ['语嫣', 'yuyan'], ['婉清', 'wanqing'], ['若曦', 'ruoxi'], ['佳琪', 'jiaqi'], ['子萱', 'zixuan'],
      ['欣妍', 'xinyan'], ['晓彤', 'xiaotong'], ['悦', 'yue'], ['琪', 'qi'], ['瑶', 'yao'], ['璐', 'lu'],
      ['彤', 'tong'], ['妍', 'yan'], ['怡', 'yi'],
    ],
  },
};

export interface City {
  name: string; // without 市
  slug: string;
  areaCode: string;
  weight: number;
  districts: ReadonlyArray<{ name: string; streets: readonly string[] }>;
}

export const CITIES: readonly City[] = [
  {
    name: '上海',
    slug: 'sh',
    areaCode: '021',
    weight: 8,
    districts: [
      { name: '浦东新区', streets: ['张杨路', '世纪大道', '陆家嘴环路', '东方路', '浦东南路'] },
      { name: '徐汇区', streets: ['漕溪北路', '肇嘉浜路', '天钥桥路', '虹桥路'] },
      { name: '静安区', streets: ['南京西路', '延安中路', '共和新路', '江宁路'] },
      { name: '长宁区', streets: ['长宁路', '天山路', '延安西路', '仙霞路'] },
      { name: '闵行区', streets: ['七莘路', '沪闵路', '莘庄路'] },
      { name: '杨浦区', streets: ['国定路', '淞沪路', '控江路'] },
    ],
  },
  {
    name: '北京',
    slug: 'bj',
    areaCode: '010',
    weight: 7,
    districts: [
      { name: '朝阳区', streets: ['建国路', '朝阳北路', '望京街', '东三环中路', '酒仙桥路'] },
      { name: '海淀区', streets: ['中关村大街', '学院路', '知春路', '西三环北路'] },
      { name: '东城区', streets: ['东直门南大街', '王府井大街', '朝阳门北大街'] },
      { name: '西城区', streets: ['西直门外大街', '金融大街', '阜成门外大街'] },
      { name: '丰台区', streets: ['丰台北路', '南三环西路', '科学城路'] },
    ],
  },
  {
    name: '广州',
    slug: 'gz',
    areaCode: '020',
    weight: 6,
    districts: [
      { name: '天河区', streets: ['天河路', '体育西路', '华夏路', '天河北路'] },
      { name: '越秀区', streets: ['环市东路', '中山五路', '东风中路'] },
      { name: '海珠区', streets: ['新港中路', '江南大道中', '工业大道北'] },
      { name: '番禺区', streets: ['番禺大道北', '市桥东环路'] },
      { name: '白云区', streets: ['白云大道北', '机场路'] },
    ],
  },
  {
    name: '深圳',
    slug: 'sz',
    areaCode: '0755',
    weight: 7,
    districts: [
      { name: '南山区', streets: ['深南大道', '科苑路', '南海大道', '高新南一道'] },
      { name: '福田区', streets: ['福华路', '益田路', '深南中路', '彩田路'] },
      { name: '罗湖区', streets: ['人民南路', '东门中路', '宝安南路'] },
      { name: '宝安区', streets: ['新安六路', '宝安大道', '创业一路'] },
      { name: '龙岗区', streets: ['龙岗大道', '布吉路'] },
    ],
  },
  {
    name: '杭州',
    slug: 'hz',
    areaCode: '0571',
    weight: 6,
    districts: [
      { name: '西湖区', streets: ['文三路', '天目山路', '古墩路', '教工路'] },
      { name: '上城区', streets: ['解放路', '庆春路', '秋涛路'] },
      { name: '拱墅区', streets: ['莫干山路', '湖墅南路', '上塘路'] },
      { name: '滨江区', streets: ['江南大道', '网商路', '江陵路'] },
      { name: '余杭区', streets: ['文一西路', '五常大道'] },
    ],
  },
  {
    name: '南京',
    slug: 'nj',
    areaCode: '025',
    weight: 4,
    districts: [
      { name: '鼓楼区', streets: ['中山路', '湖南路', '中山北路'] },
      { name: '玄武区', streets: ['珠江路', '北京东路', '龙蟠路'] },
      { name: '建邺区', streets: ['江东中路', '应天大街'] },
      { name: '秦淮区', streets: ['中华路', '太平南路'] },
      { name: '江宁区', streets: ['双龙大道', '天元中路'] },
    ],
  },
  {
    name: '成都',
    slug: 'cd',
    areaCode: '028',
    weight: 4,
    districts: [
      { name: '锦江区', streets: ['春熙路', '红星路', '东大街'] },
      { name: '武侯区', streets: ['人民南路四段', '科华北路', '一环路南四段'] },
      { name: '高新区', streets: ['天府大道中段', '天府三街', '交子大道'] },
      { name: '青羊区', streets: ['顺城大街', '蜀都大道'] },
      { name: '成华区', streets: ['建设路', '府青路'] },
    ],
  },
  {
    name: '武汉',
    slug: 'wh',
    areaCode: '027',
    weight: 3,
    districts: [
      { name: '江汉区', streets: ['解放大道', '建设大道', '新华路'] },
      { name: '武昌区', streets: ['中北路', '中南路', '武珞路'] },
      { name: '洪山区', streets: ['珞喻路', '光谷大道'] },
      { name: '江岸区', streets: ['沿江大道', '京汉大道'] },
    ],
  },
  {
    name: '西安',
    slug: 'xa',
    areaCode: '029',
    weight: 3,
    districts: [
      { name: '雁塔区', streets: ['小寨东路', '长安南路', '高新路'] },
      { name: '碑林区', streets: ['南大街', '东大街', '友谊西路'] },
      { name: '未央区', streets: ['凤城八路', '未央路'] },
      { name: '新城区', streets: ['解放路', '长乐西路'] },
    ],
  },
  {
    name: '苏州',
    slug: 'su',
    areaCode: '0512',
    weight: 3,
    districts: [
      { name: '姑苏区', streets: ['人民路', '干将路', '观前街'] },
      { name: '工业园区', streets: ['星湖街', '现代大道', '苏州大道东'] },
      { name: '吴中区', streets: ['东吴北路', '宝带西路'] },
      { name: '虎丘区', streets: ['狮山路', '长江路'] },
    ],
  },
  {
    name: '重庆',
    slug: 'cq',
    areaCode: '023',
    weight: 3,
    districts: [
      { name: '渝中区', streets: ['民族路', '中山三路', '邹容路'] },
      { name: '江北区', streets: ['建新北路', '北滨一路', '洋河路'] },
      { name: '渝北区', streets: ['金开大道', '新南路'] },
      { name: '南岸区', streets: ['南坪西路', '江南大道'] },
    ],
  },
  {
    name: '天津',
    slug: 'tj',
    areaCode: '022',
    weight: 3,
    districts: [
      { name: '和平区', streets: ['南京路', '滨江道', '营口道'] },
      { name: '河西区', streets: ['友谊路', '围堤道'] },
      { name: '南开区', streets: ['鞍山西道', '白堤路'] },
      { name: '滨海新区', streets: ['洞庭路', '第三大街'] },
    ],
  },
  {
    name: '厦门',
    slug: 'xm',
    areaCode: '0592',
    weight: 2,
    districts: [
      { name: '思明区', streets: ['湖滨南路', '厦禾路', '中山路'] },
      { name: '湖里区', streets: ['湖里大道', '金尚路'] },
    ],
  },
];

// biome-ignore format: compact data table
export const RESIDENCES: readonly string[] = [
  '阳光花园', '锦绣家园', '翠湖苑', '金色家园', '和平里小区', '东方名苑', '世纪新城', '绿洲花园',
  '滨江花园', '紫荆苑', '幸福里', '碧水湾', '书香门第', '春江花月',
];

// biome-ignore format: compact data table
export const OFFICE_BUILDINGS: readonly string[] = [
  '汇金大厦', '时代广场', '科技大厦', '国贸中心', '创新园 B 座', '东方大厦', '财富中心', '新世纪商务楼',
  '中环大厦', '金融港 A 座',
];

/** [brand, slug] — fictional trade names. */
// biome-ignore format: compact data table
export const BRANDS: readonly Spelled[] = [
  ['明达', 'mingda'], ['华宇', 'huayu'], ['悦享', 'yuexiang'], ['鼎盛', 'dingsheng'], ['恒通', 'hengtong'],
  ['嘉禾', 'jiahe'], ['瑞丰', 'ruifeng'], ['金诚', 'jincheng'], ['众合', 'zhonghe'], ['新锐', 'xinrui'],
  ['天禾', 'tianhe'], ['博远', 'boyuan'], ['宏图', 'hongtu'], ['联创', 'lianchuang'], ['汇通', 'huitong'],
  ['锦华', 'jinhua'], ['盛世', 'shengshi'], ['优品', 'youpin'], ['信达', 'xinda'], ['永兴', 'yongxing'],
  ['正和', 'zhenghe'], ['启航', 'qihang'], ['安捷', 'anjie'], ['睿思', 'ruisi'], ['智源', 'zhiyuan'],
  ['云帆', 'yunfan'], ['卓越', 'zhuoyue'], ['星辰', 'xingchen'], ['佳美', 'jiamei'], ['百川', 'baichuan'],
  ['万顺', 'wanshun'], ['易达', 'yida'], ['泰和', 'taihe'], ['康源', 'kangyuan'], ['朗润', 'langrun'],
  ['青禾', 'qinghe'], ['乐活', 'lehuo'], ['知行', 'zhixing'],
];

/** [industry, slug] */
// biome-ignore format: compact data table
export const INDUSTRIES: readonly Spelled[] = [
  ['贸易', 'trade'], ['电子科技', 'tech'], ['电子商务', 'ecom'], ['信息技术', 'it'], ['网络科技', 'net'],
  ['餐饮管理', 'catering'], ['物流', 'logistics'], ['建材', 'jiancai'], ['服饰', 'fashion'],
  ['文化传媒', 'media'], ['食品', 'food'], ['医疗器械', 'medical'], ['家居用品', 'home'],
  ['教育咨询', 'edu'], ['广告', 'ad'], ['机械设备', 'machinery'], ['环保科技', 'eco'],
  ['供应链管理', 'scm'], ['企业管理咨询', 'consulting'], ['母婴用品', 'baby'], ['酒店管理', 'hotel'],
  ['装饰工程', 'deco'],
];

// biome-ignore format: compact data table
export const COMPANY_TLDS: readonly (readonly [string, number])[] = [
  ['cn', 4], ['com', 4], ['com.cn', 3], ['net', 1],
];

// biome-ignore format: compact data table
export const COMPANY_MAILBOXES: readonly string[] = [
  'service', 'info', 'sales', 'contact', 'kefu', 'admin', 'office', 'biz',
];

// biome-ignore format: compact data table
export const PERSONAL_MAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ['qq.com', 28], ['163.com', 24], ['126.com', 10], ['sina.com', 5], ['139.com', 5], ['foxmail.com', 6],
  ['outlook.com', 6], ['gmail.com', 5], ['hotmail.com', 3], ['yeah.net', 3], ['aliyun.com', 3],
];

/** Mobile prefixes of the three mainland carriers. */
// biome-ignore format: compact data table
export const MOBILE_PREFIXES: readonly string[] = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '147', '150', '151', '152', '153',
  '155', '156', '157', '158', '159', '166', '173', '175', '176', '177', '178', '180', '181', '182', '183',
  '184', '185', '186', '187', '188', '189', '191', '193', '195', '198', '199',
];

// biome-ignore format: compact data table
export const PERSON_POSITIONS: readonly string[] = [
  '采购经理', '店长', '行政主管', '财务主管', '销售经理', '人事专员', '教师', '工程师', '设计师', '医生',
  '护士', '个体经营', '自由职业', '项目经理', '产品经理', '会计',
];

// biome-ignore format: compact data table
export const PRIMARY_CONTACT_POSITIONS: readonly string[] = [
  '采购经理', '行政主管', '办公室主任', '采购专员', '运营经理', '市场经理', '总经理助理', '行政经理',
];

// biome-ignore format: compact data table
export const OTHER_CONTACT_POSITIONS: readonly string[] = [
  '财务经理', '技术负责人', '仓库主管', '出纳', '前台', '门店经理', '副总经理', '人事经理',
];

// biome-ignore format: compact data table
export const PERSON_CONTACT_TIMES: readonly string[] = [
  '工作日 10:00–11:30', '工作日 14:00–17:00', '晚上 19:00 以后', '周末上午', '周末下午', '午休 12:00–13:00',
  '工作日上午', '随时，优先微信', '周二、周四下午', '晚上 20:00–21:30',
];

// biome-ignore format: compact data table
export const COMPANY_CONTACT_TIMES: readonly string[] = [
  '工作日 9:30–11:30', '工作日 14:00–17:30', '工作日上午', '周一至周五 10:00–16:00',
  '工作日下午，避开周一例会', '工作日 9:00–12:00',
];

// biome-ignore format: compact data table
export const HOBBIES: Record<Era, readonly string[]> = {
  young: [
    '摄影', '登山', '跑步', '瑜伽', '烘焙', '露营', '骑行', '健身', '追剧', '电竞', '剧本杀', '滑雪',
    '旅游', '阅读',
  ],
  mid: [
    '摄影', '登山', '跑步', '瑜伽', '烘焙', '钓鱼', '旅游', '羽毛球', '游泳', '茶艺', '阅读', '骑行',
    '健身', '自驾游',
  ],
  old: ['钓鱼', '书法', '旅游', '广场舞', '太极', '茶艺', '园艺', '收藏', '围棋', '摄影', '养花', '京剧'],
};

// biome-ignore format: compact data table
export const FAMILY_NOTES: Record<Era, readonly string[]> = {
  young: [
    '未婚，与父母同住', '刚结婚，正在装修新房', '单身，独自在本市工作', '已婚，暂无小孩',
    '已订婚，明年办婚礼', '与室友合租，计划明年买房',
  ],
  mid: [
    '已婚，一个女儿在读小学', '已婚，两个孩子（一儿一女）', '已婚，儿子上初中，关注学习类产品',
    '二孩家庭，小儿子 3 岁', '与父母同住，关注老人健康产品', '已婚，女儿刚上幼儿园',
    '夫妻双职工，周末才有空',
  ],
  old: [
    '孩子已工作，夫妻二人生活', '已有外孙，常帮忙带孩子', '母亲年迈，需要照顾', '子女在国外读书',
    '已退休，老伴身体不太好', '儿子在外地工作，逢年过节回家',
  ],
};

/** General notes (备注) an agent keeps on a customer. */
// biome-ignore format: compact data table
export const CUSTOMER_NOTES: Record<'person' | 'company', readonly string[]> = {
  person: [
    '老客户，每次来店都找同一位导购', '只接受微信联系，电话经常不接', '对价格比较敏感，有活动再通知',
    '上次投诉已处理，客户表示满意', '喜欢周末到店，平日不方便', '送货请提前一天电话确认',
    '介绍过两位朋友办卡', '对羊毛过敏，推荐时注意面料',
  ],
  company: [
    '每月 25 日前对账，发票寄财务部', '采购需走招标流程，提前一个月沟通', '年底集中采购，11 月跟进报价',
    '总经理只看邮件，重要事项先发邮件', '合同年底到期，注意续签', '付款周期 60 天，催款找财务',
  ],
};

// biome-ignore format: compact data table
export const SOURCE_CHANNELS = [
  '门店', '400热线', '官网', '天猫旗舰店', '京东店铺', '微信公众号', '展会', '老客户介绍',
] as const;

export const PERSON_CHANNEL_WEIGHTS: readonly number[] = [25, 9, 8, 18, 15, 15, 2, 8];
export const COMPANY_CHANNEL_WEIGHTS: readonly number[] = [5, 15, 20, 0, 5, 5, 25, 25];

// biome-ignore format: compact data table
export const MEMBER_LEVELS: readonly (readonly [string, number])[] = [
  ['普通会员', 45], ['银卡会员', 28], ['金卡会员', 18], ['钻石会员', 9],
];

// biome-ignore format: compact data table
export const CONSUMER_PRODUCTS: readonly string[] = [
  '空气净化器', '净水器', '扫地机器人', '咖啡机', '电动牙刷', '破壁料理机', '加湿器', '空调扇',
];

// biome-ignore format: compact data table
export const BUSINESS_PRODUCTS: readonly string[] = [
  '商用净水设备', '办公空气净化器', '员工福利礼盒', '会议室咖啡机', '定制礼品', '门店除湿设备',
];

export type ActivityKind = 'call' | 'message' | 'email' | 'visit' | 'meeting' | 'note';

export interface ActivityTemplate {
  kind: ActivityKind;
  direction: 'inbound' | 'outbound' | null;
  subject: string;
  /** Placeholders: {item} consumer product, {product} business product, {contact}, {pic}. */
  body: string;
  complaint?: boolean;
}

export const PERSON_ACTIVITIES: readonly ActivityTemplate[] = [
  {
    kind: 'call',
    direction: 'inbound',
    subject: '来电咨询退换货政策',
    body: '客户来电询问{item}的退换货流程，已说明 7 天无理由退货规则及运费承担方式，客户表示理解。',
  },
  {
    kind: 'call',
    direction: 'outbound',
    subject: '回访满意度：满意',
    body: '收货后第 10 天电话回访，客户对{item}的质量和配送速度满意，建议增加晚间配送时段。',
  },
  {
    kind: 'call',
    direction: 'outbound',
    subject: '回访满意度：一般',
    body: '客户反映安装师傅迟到约 1 小时，已致歉并记录，转交服务部跟进改进。',
  },
  {
    kind: 'call',
    direction: 'outbound',
    subject: '回访未接通',
    body: '工作日上午致电未接通，按回访规范改在晚上 19:00 以后再次联系。',
  },
  {
    kind: 'call',
    direction: 'inbound',
    subject: '来电投诉配送延迟',
    body: '订单超过承诺时效 3 天仍未送达，已登记投诉，承诺 24 小时内给出处理结果。',
    complaint: true,
  },
  {
    kind: 'call',
    direction: 'inbound',
    subject: '来电咨询保修范围',
    body: '客户询问{item}购买一年后的保修范围，已说明整机保修两年、滤芯等耗材不在保修范围内。',
  },
  {
    kind: 'message',
    direction: 'outbound',
    subject: '生日祝福短信',
    body: '发送生日祝福及 9 折专属优惠券，有效期 30 天。',
  },
  {
    kind: 'message',
    direction: 'inbound',
    subject: '微信咨询会员积分',
    body: '客户通过公众号询问积分兑换规则，已发送积分商城链接并说明积分年底清零。',
  },
  {
    kind: 'message',
    direction: 'outbound',
    subject: '活动通知：国庆会员日',
    body: '推送国庆期间会员专享活动，客户回复“有兴趣，到时去门店看看”。',
  },
  {
    kind: 'message',
    direction: 'outbound',
    subject: '滤芯更换提醒',
    body: '{item}滤芯已使用约 6 个月，提醒客户及时更换，并附上购买链接。',
  },
  {
    kind: 'email',
    direction: 'outbound',
    subject: '发送电子发票',
    body: '已将订单电子发票发送至客户邮箱，提醒核对发票抬头和税号。',
  },
  {
    kind: 'email',
    direction: 'inbound',
    subject: '邮件反馈商品破损',
    body: '客户来邮件并附照片，反映收到的{item}外包装破损、机身有划痕，已安排换货。',
    complaint: true,
  },
  {
    kind: 'visit',
    direction: 'inbound',
    subject: '到店体验新品',
    body: '客户到门店体验{item}新款，现场下单，店长介绍了会员升级权益。',
  },
  {
    kind: 'visit',
    direction: 'outbound',
    subject: '上门安装调试',
    body: '技术人员上门完成{item}安装调试并讲解日常保养，客户签字确认。',
  },
  {
    kind: 'note',
    direction: null,
    subject: '联系偏好备注',
    body: '客户不喜欢电话打扰，优先用微信联系；中午 12:00–14:00 请勿打扰。',
  },
  {
    kind: 'note',
    direction: null,
    subject: '投诉处理结果确认',
    body: '上次投诉已按方案补偿 50 元优惠券，客户确认接受，满意度回访：基本满意。',
    complaint: true,
  },
  {
    kind: 'note',
    direction: null,
    subject: '会员等级调整',
    body: '本年度累计消费达到升级标准，会员等级已自动升级，已短信告知客户。',
  },
];

export const COMPANY_ACTIVITIES: readonly ActivityTemplate[] = [
  {
    kind: 'visit',
    direction: 'outbound',
    subject: '上门拜访洽谈年度采购',
    body: '拜访{contact}，介绍{product}年度采购框架协议及阶梯价格，对方预计下月内部评审。',
  },
  {
    kind: 'meeting',
    direction: null,
    subject: '季度业务回顾会议',
    body: '与{contact}等三人召开季度回顾会，确认下季度{product}供货计划，会议纪要已发送对方确认。',
  },
  {
    kind: 'email',
    direction: 'outbound',
    subject: '发送报价单',
    body: '已发送{product}报价单（含运费与税费），有效期 15 天，等待对方确认。',
  },
  {
    kind: 'email',
    direction: 'inbound',
    subject: '客户确认报价',
    body: '{contact}邮件确认报价，要求月底前交付首批货物，已转交订单部排期。',
  },
  {
    kind: 'call',
    direction: 'outbound',
    subject: '货款到期提醒',
    body: '提醒对方第二期货款已到期，财务表示本周五前安排付款。',
  },
  {
    kind: 'call',
    direction: 'inbound',
    subject: '来电咨询批量采购折扣',
    body: '{contact}来电询问采购 500 件以上的折扣政策，已承诺明天上午 11:00 前回复。',
  },
  {
    kind: 'call',
    direction: 'inbound',
    subject: '来电投诉交付延迟',
    body: '{contact}反映{product}比约定时间晚到 5 天，影响门店开业，已登记投诉并上报主管。',
    complaint: true,
  },
  {
    kind: 'meeting',
    direction: null,
    subject: '展会现场洽谈',
    body: '在展会现场与{contact}交换名片，对方对{product}表现出兴趣，约定下周电话跟进。',
  },
  {
    kind: 'note',
    direction: null,
    subject: '客户背景备注',
    body: '公司年采购额约 200 万元，最终决策人为{pic}，付款周期 60 天。',
  },
  {
    kind: 'message',
    direction: 'outbound',
    subject: '企业微信跟进',
    body: '向{contact}发送{product}新品资料和样品寄送单号。',
  },
  {
    kind: 'call',
    direction: 'outbound',
    subject: '签约后回访',
    body: '合同签订后回访{contact}，对方对交付进度满意，希望每月提供对账单。',
  },
  {
    kind: 'visit',
    direction: 'inbound',
    subject: '客户来访参观展厅',
    body: '{contact}一行来公司参观展厅，重点了解{product}的定制和售后服务。',
  },
  {
    kind: 'email',
    direction: 'outbound',
    subject: '发送会议纪要',
    body: '会议结束 24 小时内发送纪要，列出三项待办事项及负责人，等待对方确认。',
  },
];
