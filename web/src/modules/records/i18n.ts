/** The records module's strings; each app catalog includes them under `records`. */
export const recordsZh = {
  openWork: '待办事项',
  tasks: '未完成任务',
  promises: '未兑现的承诺',
  nothingOpen: '没有未完成的任务或承诺',
  more: '查看更多',
  notFound: '找不到该记录',
  notFoundHint: '它可能已被删除，或你没有查看权限。',
  backHome: '回到我的一天',
};

export const recordsEn: typeof recordsZh = {
  openWork: 'Open work',
  tasks: 'Open tasks',
  promises: 'Promises not yet kept',
  nothingOpen: 'No open tasks or promises',
  more: 'See more',
  notFound: 'Record not found',
  notFoundHint: 'It may have been deleted, or you may not have access to it.',
  backHome: 'Back to My day',
};

export const recordsEs: typeof recordsZh = {
  openWork: 'Trabajo pendiente',
  tasks: 'Tareas abiertas',
  promises: 'Promesas por cumplir',
  nothingOpen: 'No hay tareas ni promesas abiertas',
  more: 'Ver más',
  notFound: 'No se encontró el registro',
  notFoundHint: 'Puede que se haya eliminado o que no tenga acceso.',
  backHome: 'Volver a Mi día',
};
